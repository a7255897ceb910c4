package io.baton.agent.identity;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code baton-agent print-public-key [--key-file FILE] [--state-directory DIR]}: prints this
 * node's public key as PEM, for {@code baton enroll --public-key}. Finds the key where the agent
 * does: {@code --key-file}, else {@code BATON_AGENT_KEY_FILE}, else {@code node.key} in {@code
 * --state-directory}, {@code BATON_AGENT_STATE_DIRECTORY} or {@code /var/lib/baton/agent}. Makes
 * the key when there is none yet, so a node can be enrolled before its agent first starts: run
 * it as the agent's OS user. Exit 0 when printed, 1 when the key cannot be used, 64 on a usage
 * error.
 */
public final class PrintPublicKeyCommand {
  private PrintPublicKeyCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  static int run(String[] args, Map<String, String> environment) {
    Optional<Path> keyFile =
        Optional.ofNullable(environment.get("BATON_AGENT_KEY_FILE")).map(Path::of);
    Path stateDirectory = Path.of(
        environment.getOrDefault("BATON_AGENT_STATE_DIRECTORY", "/var/lib/baton/agent"));
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        return usage();
      }
      switch (args[i]) {
        case "--key-file" -> keyFile = Optional.of(Path.of(args[i + 1]));
        case "--state-directory" -> stateDirectory = Path.of(args[i + 1]);
        default -> {
          return usage();
        }
      }
    }
    try {
      NodeKey key = NodeKey.loadOrCreate(keyFile, stateDirectory);
      if (key.created()) {
        System.err.println("made a new node key in " + key.file());
      }
      System.out.print(key.publicKeyPem());
      return 0;
    } catch (RuntimeException e) {
      System.err.println("baton-agent print-public-key: " + e.getMessage());
      return 1;
    }
  }

  private static int usage() {
    System.err.println(
        "usage: baton-agent print-public-key [--key-file FILE] [--state-directory DIR]");
    return 64;
  }
}
