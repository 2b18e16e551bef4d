package io.psfleet.agent.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A command's options: declared once with their help text and default, parsed from {@code --name
 * value} or {@code --name=value}, read back typed. Every mistake becomes a {@link UsageException}
 * that names the option, the value and what is accepted.
 */
public final class Options {
  /** One declared option; a flag takes no value. */
  public record Option(String name, String valueName, String defaultValue, String help) {
    public boolean isFlag() {
      return valueName == null;
    }
  }

  private final String command;
  private final String summary;
  private final Map<String, Option> declared = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();

  public Options(String command, String summary) {
    this.command = command;
    this.summary = summary;
    flag("help", "print this help and exit");
  }

  public Options option(String name, String valueName, String defaultValue, String help) {
    declared.put(name, new Option(name, valueName, defaultValue, help));
    return this;
  }

  public Options flag(String name, String help) {
    declared.put(name, new Option(name, null, null, help));
    return this;
  }

  /**
   * Parses {@code args}; returns false when --help was asked for (the caller prints {@link #help}).
   */
  public boolean parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '"
                + arg
                + "': options start with --; see ./psfleet "
                + command
                + " --help");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Option option = declared.get(name);
      if (option == null) {
        throw new UsageException(
            "unknown option --"
                + name
                + " for '"
                + command
                + "'; see ./psfleet "
                + command
                + " --help");
      }
      if (option.isFlag()) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(
              "--" + name + " needs a value: --" + name + " " + option.valueName());
        }
        value = args[++i];
      }
      values.put(name, value);
    }
    return !values.containsKey("help");
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  public String string(String name) {
    return values.getOrDefault(name, require(name).defaultValue());
  }

  public int intValue(String name, int min, int max) {
    long value = longValue(name, min, max);
    return (int) value;
  }

  public long longValue(String name, long min, long max) {
    String text = string(name);
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new UsageException(
          "--" + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** A duration written as 90s, 15m, 2h, 1d or ISO-8601 (PT15M). */
  public Duration duration(String name) {
    String text = string(name).trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("p")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      Duration d =
          switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new NumberFormatException();
          };
      if (d.isNegative() || d.isZero()) {
        throw new UsageException("--" + name + " must be positive, got '" + text + "'");
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new UsageException(
          "--" + name + " must be a duration such as 90s, 15m, 2h or 1d, got '" + text + "'");
    }
  }

  private Option require(String name) {
    Option option = declared.get(name);
    if (option == null) {
      throw new IllegalArgumentException("option --" + name + " was never declared");
    }
    return option;
  }

  /** The --help text: usage line, summary, and every option with its default. */
  public String help() {
    StringBuilder out = new StringBuilder();
    out.append("Usage: ./psfleet ").append(command).append(" [options]\n\n");
    out.append(summary).append("\n\nOptions:\n");
    List<String[]> rows = new ArrayList<>();
    int width = 0;
    for (Option o : declared.values()) {
      String left = "  --" + o.name() + (o.isFlag() ? "" : " " + o.valueName());
      String right =
          o.help() + (o.defaultValue() == null ? "" : " (default: " + o.defaultValue() + ")");
      rows.add(new String[] {left, right});
      width = Math.max(width, left.length());
    }
    for (String[] row : rows) {
      out.append(String.format("%-" + (width + 2) + "s%s%n", row[0], row[1]));
    }
    return out.toString();
  }
}
