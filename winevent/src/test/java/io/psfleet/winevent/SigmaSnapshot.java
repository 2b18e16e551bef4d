package io.psfleet.winevent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the SigmaHQ snapshot whose regression recordings the tests read: system property {@code
 * psfleet.sigma.home}, else {@code <project root>/../shared/sigma}. Tests skip where it is absent.
 */
final class SigmaSnapshot {
  private SigmaSnapshot() {}

  static Path home() {
    String property = System.getProperty("psfleet.sigma.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path root = projectRoot();
    return root == null ? null : root.resolve("../shared/sigma").normalize();
  }

  /** The regression data folder, or a JUnit assumption failure saying where it was looked for. */
  static Path regressionData() {
    Path home = home();
    Path data = home == null ? null : home.resolve("regression_data");
    assumeTrue(
        data != null && Files.isDirectory(data),
        "SigmaHQ regression data not found at "
            + data
            + " (set -Dpsfleet.sigma.home=<sigma checkout>); skipping");
    return data;
  }

  /** Every {@code .evtx} under the regression data, sorted. */
  static List<Path> recordings() {
    Path data = regressionData();
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".evtx"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path twinOf(Path evtx) {
    String name = evtx.getFileName().toString();
    return evtx.resolveSibling(name.substring(0, name.length() - ".evtx".length()) + ".json");
  }

  private static Path projectRoot() {
    String mmp = System.getProperty("maven.multiModuleProjectDirectory");
    if (mmp != null && Files.isDirectory(Path.of(mmp))) {
      return Path.of(mmp);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom)
            && Files.readString(pom).contains("<module>winevent</module>")) {
          return dir;
        }
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }
}
