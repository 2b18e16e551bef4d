package io.psfleet.cli;

import io.psfleet.agent.cli.PsfleetApp;
import io.psfleet.bench.HostileBenchmark;
import io.psfleet.bench.JobBenchmark;
import io.psfleet.bench.SimulatorBenchmark;
import io.psfleet.bench.SoakBenchmark;
import io.psfleet.cli.cluster.ClusterCommand;
import io.psfleet.cli.rules.RulesCommand;
import io.psfleet.commandline.Commands;
import io.psfleet.jobs.JobCommand;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The entry point behind {@code ./psfleet}: every command of the project on one picocli command
 * line. The simulator's own commands run from the agent's jar too, for machines that only simulate.
 */
@Command(
    name = "psfleet",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    description = {
      "Simulates a fleet of Windows hosts down to the kernel's process-notification routines,"
          + " streams their sensor's telemetry through Kafka into a Flink detection job, and"
          + " scores the alerts against the ground truth of the attacks it injected.",
      "./psfleet <command> --help explains a command's options."
    })
public final class Psfleet implements Runnable {
  @Spec CommandSpec spec;

  private Psfleet() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args);
  }

  /** Every command, set up the psfleet way. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Psfleet());
    cl.addSubcommand(new PipelineDemo(out));
    cl.addSubcommand(new DetectTestCommand(out));
    cl.addSubcommand(new AlertsCommand(out));
    PsfleetApp.addCommands(cl, out, err);
    cl.addSubcommand(new JobCommand());
    ClusterCommand cluster = new ClusterCommand(out);
    cl.addSubcommand(new CommandLine(cluster).addSubcommand(cluster.stopCommand()));
    CommandLine bench = new CommandLine(new LoadBenchCommand(out));
    bench.addSubcommand(new SimulatorBenchmark(out));
    bench.addSubcommand(new JobBenchmark(out));
    bench.addSubcommand(new HostileBenchmark(out));
    bench.addSubcommand(new SoakBenchmark(out));
    bench.addSubcommand(new BenchMergeCommand(out));
    cl.addSubcommand(bench);
    // The earlier names of 'bench sim' and 'bench job', kept so scripts keep working.
    cl.addSubcommand("bench-sim", new CommandLine(new SimulatorBenchmark(out)));
    cl.addSubcommand("bench-job", new CommandLine(new JobBenchmark(out)));
    cl.getSubcommands().get("bench-sim").getCommandSpec().usageMessage().hidden(true);
    cl.getSubcommands().get("bench-job").getCommandSpec().usageMessage().hidden(true);
    RulesCommand rules = new RulesCommand(out, err);
    CommandLine rulesLine = new CommandLine(rules);
    rules.subcommands().forEach(rulesLine::addSubcommand);
    cl.addSubcommand(rulesLine);
    cl.addSubcommand(new Completion(out));
    return Commands.configure(cl, out, err);
  }

  @Override
  public void run() {
    throw Commands.missingSubcommand(spec);
  }

  /** {@code ./psfleet completion}: the bash/zsh completion script of every command and option. */
  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a completion script for bash and zsh covering every command and option.",
        "Use: source <(./psfleet completion)   (zsh: autoload -U +X bashcompinit && bashcompinit"
            + " first)"
      })
  static final class Completion implements Callable<Integer> {
    private final PrintStream out;

    @Spec CommandSpec spec;

    Completion(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      CommandLine root = spec.commandLine().getParent();
      out.print(AutoComplete.bash("psfleet", root));
      return Commands.OK;
    }
  }
}
