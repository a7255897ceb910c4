package io.baton.agent;

import io.baton.agent.handover.HandoverCommand;
import io.baton.agent.identity.PrintPublicKeyCommand;
import java.util.Arrays;
import io.baton.runtime.ParentProcess;
import io.micronaut.runtime.Micronaut;

/**
 * {@code java -jar baton-agent.jar} runs the agent; {@code java -jar baton-agent.jar handover
 * [...]} asks a running agent to hand over (the Kubernetes preStop exec hook); {@code java -jar
 * baton-agent.jar print-public-key [...]} prints the node's public key for enrollment.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("handover")) {
      HandoverCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("print-public-key")) {
      PrintPublicKeyCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    ParentProcess.exitWithParent();
    Micronaut.build(args).mainClass(AgentMain.class).banner(false).start();
  }
}
