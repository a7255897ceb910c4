package io.baton.cli.identity;

import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import io.baton.client.keys.KeyFiles;
import io.baton.events.signing.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * {@code baton create-operator-key [--out FILE]}: makes an operator's Ed25519 key, readable by
 * the user alone, and prints the line the coordinator's operator keys file needs for it.
 */
public final class CreateOperatorKeyCommand implements Command {
  private static final CommandSpec SPEC = new CommandSpec(
      "create-operator-key", "Make an operator key and print its line for the coordinator",
      List.of(),
      List.of(OptionSpec.value("--out", "FILE",
          "where to write the private key (default: --operator-key's default); never replaced")),
      """
      Writes a new Ed25519 private key (PKCS#8 PEM, mode 0600) and prints the line to add to
      the coordinator's operator keys file (baton.coordinator.operator-keys-file):
        NAME PUBLIC-KEY [CLUSTER,...]
      Append clusters to limit where the operator may act. The same key file works with
      openssl (openssl pkey -in FILE -pubout shows the public key).
      """);

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String operator = session.operator(args);
    Path file = args.value("--out").map(Path::of).orElseGet(() -> session.operatorKeyFile(args));
    KeyPair pair;
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      pair = KeyFiles.createPrivateKey(file);
    } catch (KeyFiles.KeyFileException e) {
      throw args.usageError(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      session.err().println("baton: cannot write " + file + ": " + e.getMessage());
      return ExitCode.FAILED;
    }
    session.err().println("wrote the private key of " + operator + " to " + file
        + "; add this line to the coordinator's operator keys file:");
    session.out().println(operator + " " + Ed25519.encode(pair.getPublic()));
    return ExitCode.OK;
  }
}
