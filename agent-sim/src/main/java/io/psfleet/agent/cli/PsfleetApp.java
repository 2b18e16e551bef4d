package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.FleetAssets;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point behind {@code ./psfleet}: dispatches to a command, turns a {@link UsageException}
 * into a message and exit code 2, and never prints a stack trace for user errors.
 */
public final class PsfleetApp {
  private static final String COMMANDS =
      """
      Usage: ./psfleet <command> [options]

      Commands:
        core-demo boot a few simulated Windows hosts with the sensor and print what it sees
        simulate  simulate a fleet and publish its telemetry to Kafka or JSON lines

      ./psfleet <command> --help explains a command's options.
      """;

  private PsfleetApp() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Checks a {@code simulate} command line as {@link #run} would, without running it: the deploy
   * module's consistency tests use it on the compose and Kubernetes arguments.
   *
   * @throws UsageException naming the option or value that is wrong
   */
  public static void checkSimulateArgs(String[] args) {
    Options options = SimulateCommand.options();
    options.parse(args);
    SimulateCommand.config(options, FleetAssets.create().scenarios());
  }

  /** Runs one command; returns its exit code (2 for a command line the user must fix). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      out.print(COMMANDS);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (command) {
        case "core-demo" -> {
          Options options = CoreDemoCommand.options();
          if (!options.parse(rest)) {
            out.print(options.help());
            return 0;
          }
          return new CoreDemoCommand(out).run(options);
        }
        case "simulate" -> {
          Options options = SimulateCommand.options();
          if (!options.parse(rest)) {
            out.print(options.help());
            return 0;
          }
          return new SimulateCommand(out, err).run(options);
        }
        default -> {
          err.println("psfleet: unknown command '" + command + "'");
          err.print(COMMANDS);
          return 2;
        }
      }
    } catch (UsageException e) {
      err.println("psfleet " + command + ": " + e.getMessage());
      return 2;
    }
  }
}
