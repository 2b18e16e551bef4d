package io.psfleet.jobs;

import io.psfleet.jobs.sigma.SigmaRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --rules PATH}, repeatable: Sigma rule files or folders the detection job runs beside its
 * built-in rules. Declared once here; the job ({@link JobCommand}) and every command that starts it
 * ({@code demo}, {@code detect-test}, {@code cluster}, {@code bench}, {@code bench job}) mix it in
 * and hand the paths on through {@link #jobArgs()}.
 */
public final class RulesOption {
  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description =
          "Sigma rule file or folder (repeatable), run beside the built-in rules; read where the"
              + " job is defined and shipped with it")
  List<Path> rules = new ArrayList<>();

  public List<Path> paths() {
    return List.copyOf(rules);
  }

  /**
   * The job's arguments for these rules: {@code --rules <absolute path>} per path.
   *
   * @throws IllegalArgumentException naming a path that does not exist
   */
  public List<String> jobArgs() {
    List<String> args = new ArrayList<>();
    for (Path p : rules) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--rules: no such file or folder: " + p);
      }
      args.add("--rules");
      args.add(p.toAbsolutePath().toString());
    }
    return args;
  }

  /**
   * The rules' texts.
   *
   * @throws IllegalArgumentException naming a path that does not exist or cannot be read
   */
  public SigmaRules read() {
    return SigmaRules.read(rules);
  }
}
