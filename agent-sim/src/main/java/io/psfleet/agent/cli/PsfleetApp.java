package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.UsageException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The agent jar's entry point ({@code psfleet-agent.jar}, for machines that only simulate): the
 * simulator's own commands. {@code ./psfleet} adds them to its own.
 */
@Command(
    name = "psfleet-agent",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    description = "The psfleet simulator: a fleet of Windows hosts and their sensor's telemetry.")
public final class PsfleetApp implements Runnable {
  @Spec CommandSpec spec;

  private PsfleetApp() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The agent's commands, for a parent command line to add. */
  public static void addCommands(CommandLine parent, PrintStream out, PrintStream err) {
    parent.addSubcommand(new SimulateCommand(out, err));
    parent.addSubcommand(new ReplayCommand(out, err));
    parent.addSubcommand(new CoreDemoCommand(out));
  }

  /**
   * Checks a {@code simulate} command line as {@link #run} would, without running it: the deploy
   * module's consistency tests use it on the compose and Kubernetes arguments.
   *
   * @throws UsageException naming the option or value that is wrong
   */
  public static void checkSimulateArgs(String[] args) {
    SimulateCommand command = new SimulateCommand(System.out, System.err);
    StringWriter errors = new StringWriter();
    CommandLine cl = Commands.commandLine(command, System.out, System.err);
    cl.setErr(new PrintWriter(errors));
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    command.config(FleetAssets.create().scenarios());
  }

  /** Runs one command; returns its exit code (2 for a command line the user must fix). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new PsfleetApp());
    addCommands(cl, out, err);
    return Commands.configure(cl, out, err).execute(args);
  }

  @Override
  public void run() {
    throw Commands.missingSubcommand(spec);
  }
}
