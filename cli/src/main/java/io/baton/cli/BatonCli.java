package io.baton.cli;

import io.baton.cli.args.ArgumentParser;
import io.baton.cli.args.Help;
import io.baton.cli.args.ParsedArguments;
import io.baton.cli.args.UsageException;
import io.baton.cli.events.EventsCommand;
import io.baton.cli.identity.CreateOperatorKeyCommand;
import io.baton.cli.identity.EnrollCommand;
import io.baton.cli.kafka.KafkaUnavailableException;
import io.baton.cli.request.RequestCommand;
import io.baton.cli.rollingrestart.RollingRestartCommand;
import io.baton.cli.status.StatusCommand;
import io.baton.cli.text.Times;
import io.baton.events.Printable;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code baton}: the operator's command line. */
public final class BatonCli {
  private static final List<Command> COMMANDS = commands();
  private static final ArgumentParser PARSER = new ArgumentParser(
      COMMANDS.stream().map(Command::spec).toList(), GlobalOptions.all());

  private BatonCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit status instead of exiting, for tests. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /** {@link #run(String[], PrintStream, PrintStream)} with the environment given. */
  public static int run(
      String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    Session session = new Session(
        out, err, environment, Clock.systemUTC(), Times.local(), user());
    return run(Arrays.asList(args), session).code();
  }

  static ExitCode run(List<String> args, Session session) {
    try {
      ParsedArguments parsed = PARSER.parse(args);
      if (parsed.help()) {
        session.out().print(Help.render(PARSER, parsed.command()));
        return ExitCode.OK;
      }
      Command command = COMMANDS.stream()
          .filter(c -> c.spec().equals(parsed.command().orElseThrow()))
          .findFirst()
          .orElseThrow();
      return command.run(parsed, session);
    } catch (UsageException e) {
      session.err().print(Help.usageError(e));
      return ExitCode.USAGE;
    } catch (KafkaUnavailableException e) {
      session.err().println("baton: " + Printable.escape(e.getMessage()));
      return ExitCode.UNAVAILABLE;
    } catch (RuntimeException e) {
      session.err().println("baton: unexpected error (a bug, please report it): "
          + Printable.escape(e.toString()));
      e.printStackTrace(session.err());
      return ExitCode.INTERNAL;
    } finally {
      session.out().flush();
      session.err().flush();
    }
  }

  private static List<Command> commands() {
    List<Command> all = new ArrayList<>();
    all.add(new StatusCommand());
    all.add(new EventsCommand());
    all.addAll(RequestCommand.all());
    all.add(new RollingRestartCommand());
    all.add(new EnrollCommand());
    all.add(new CreateOperatorKeyCommand());
    return List.copyOf(all);
  }

  /** The OS user, the operator name when none is given. */
  static String user() {
    return Optional.ofNullable(System.getProperty("user.name")).orElse("unknown");
  }
}
