package io.psfleet.jobs;

import io.psfleet.jobs.sigma.SigmaRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The detection job's rules: psfleet's Sigma pack (bundled in the jar, {@link
 * SigmaRules#defaultPack()}) unless {@code --no-default-rules}, and {@code --rules PATH},
 * repeatable: more Sigma rule files or folders. Declared once here; the job ({@link JobCommand})
 * and every command that starts it ({@code demo}, {@code detect-test}, {@code cluster}, {@code
 * bench}, {@code bench job}) mix it in and hand the choice on through {@link #jobArgs()}.
 */
public final class RulesOption {
  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description =
          "Sigma rule file or folder (repeatable), run beside psfleet's rule pack; read where the"
              + " job is defined and shipped with it")
  List<Path> rules = new ArrayList<>();

  @Option(
      names = "--no-default-rules",
      description =
          "leave out psfleet's own Sigma rule pack (the rules/ folder of the repository, bundled"
              + " in the jar and loaded by default); to change a pack rule, copy rules/, edit the"
              + " copy and give it with --rules")
  boolean noDefaultRules;

  public List<Path> paths() {
    return List.copyOf(rules);
  }

  /** True when psfleet's pack runs (no {@code --no-default-rules}). */
  public boolean defaultRules() {
    return !noDefaultRules;
  }

  /**
   * The job's arguments for these rules: {@code --no-default-rules} if given, then {@code --rules
   * <absolute path>} per path.
   *
   * @throws IllegalArgumentException naming a path that does not exist
   */
  public List<String> jobArgs() {
    List<String> args = new ArrayList<>();
    if (noDefaultRules) {
      args.add("--no-default-rules");
    }
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
   * The rules' texts: the pack's (unless left out), then those of the paths.
   *
   * @throws IllegalArgumentException naming a path that does not exist or cannot be read
   */
  public SigmaRules read() {
    SigmaRules given = SigmaRules.read(rules);
    return noDefaultRules ? given : SigmaRules.defaultPack().plus(given);
  }
}
