package io.psfleet.commandline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * How every psfleet command line runs: picocli with help that shows each default, {@code --version}
 * from the build, and one line on standard error for every mistake:
 *
 * <ul>
 *   <li>a usage or configuration error ({@link ParameterException}, {@link UsageException}): the
 *       option, the value and what is accepted; exit {@link #USAGE};
 *   <li>an endpoint that does not answer ({@link UnreachableException}): which one; exit {@link
 *       #FAILURE};
 *   <li>anything else is a bug: its stack trace, exit {@link #FAILURE}.
 * </ul>
 */
public final class Commands {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  /** The exit code of a run ended by Ctrl-C (128 + SIGINT, as shells report it). */
  public static final int INTERRUPTED = 130;

  private Commands() {}

  /** A command line for {@code command} (with no subcommands to add) set up the psfleet way. */
  public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
    return configure(new CommandLine(command), out, err);
  }

  /**
   * Sets {@code cl} and every subcommand it has now up the psfleet way: call it after adding the
   * subcommands (picocli applies settings to the hierarchy as it is at the call).
   */
  public static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler(
        (ParameterException e, String[] args) -> {
          e.getCommandLine().getErr().println(prefix(e.getCommandLine()) + oneLine(e.getMessage()));
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (Exception e, CommandLine failed, CommandLine.ParseResult parsed) -> {
          Throwable cause = e;
          PrintWriter w = failed.getErr();
          while (cause != null) {
            if (cause instanceof UsageException || cause instanceof ParameterException) {
              w.println(prefix(failed) + oneLine(cause.getMessage()));
              return USAGE;
            }
            if (cause instanceof UnreachableException) {
              w.println(prefix(failed) + oneLine(cause.getMessage()));
              return FAILURE;
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
          }
          e.printStackTrace(w);
          return FAILURE;
        });
    return cl;
  }

  /** Parses {@code args} for {@code command}, runs it and returns its exit code. */
  public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
    return commandLine(command, out, err).execute(args);
  }

  /** The error a command with subcommands gives when it is run without one. */
  public static ParameterException missingSubcommand(CommandSpec spec) {
    return new ParameterException(
        spec.commandLine(),
        "a command is missing: one of "
            + String.join(
                ", ",
                spec.subcommands().entrySet().stream()
                    .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                    .map(java.util.Map.Entry::getKey)
                    .toList())
            + " (see "
            + spec.qualifiedName()
            + " --help)");
  }

  /** Checks that {@code value} lies in [min, max]; the message names the option and the value. */
  public static long range(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(),
          option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** The version of this build, as Maven set it. */
  public static String version() {
    try (InputStream in = Commands.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code --version} for every psfleet command. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "psfleet " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }

  private static String prefix(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName() + ": ";
  }

  /** Messages are one line: a user reads the first, and scripts grep it. */
  private static String oneLine(String message) {
    return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
