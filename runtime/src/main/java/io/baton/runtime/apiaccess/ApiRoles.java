package io.baton.runtime.apiaccess;

/**
 * The roles a token grants. An operator may do everything; the handover role may only hand its
 * own node's primary role over (the Kubernetes preStop hook's token, in the pod beside PostgreSQL,
 * so a leaked one cannot restart nodes or move the primary elsewhere).
 */
public final class ApiRoles {
  public static final String OPERATOR = "operator";
  public static final String HANDOVER = "handover";

  private ApiRoles() {}
}
