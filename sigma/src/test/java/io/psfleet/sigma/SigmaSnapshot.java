package io.psfleet.sigma;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the SigmaHQ snapshot: system property {@code psfleet.sigma.home}, else {@code <project
 * root>/../shared/sigma}. Read only.
 */
final class SigmaSnapshot {
  static final List<String> RULE_FOLDERS =
      List.of("rules", "rules-emerging-threats", "rules-threat-hunting");

  private SigmaSnapshot() {}

  /** The snapshot folder, or null where none is found. */
  static Path home() {
    String property = System.getProperty("psfleet.sigma.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path root = projectRoot();
    return root == null ? null : root.resolve("../shared/sigma").normalize();
  }

  /** The snapshot, or a JUnit assumption failure saying where it was looked for. */
  static Path requireHome() {
    Path home = home();
    assumeTrue(
        home != null && Files.isDirectory(home.resolve("rules")),
        "no SigmaHQ snapshot at "
            + (home == null ? "<project root not found>/../shared/sigma" : home)
            + ": conformance not run (set -Dpsfleet.sigma.home=<snapshot>)");
    return home;
  }

  /** The rule folders of the snapshot that exist. */
  static List<Path> ruleFolders(Path home) {
    return RULE_FOLDERS.stream().map(home::resolve).filter(Files::isDirectory).toList();
  }

  private static Path projectRoot() {
    String mmp = System.getProperty("maven.multiModuleProjectDirectory");
    if (mmp != null && isRoot(Path.of(mmp))) {
      return Path.of(mmp);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) {
        return dir;
      }
    }
    return null;
  }

  private static boolean isRoot(Path dir) {
    Path pom = dir.resolve("pom.xml");
    try {
      return Files.isRegularFile(pom) && Files.readString(pom).contains("<module>sigma</module>");
    } catch (IOException e) {
      return false;
    }
  }
}
