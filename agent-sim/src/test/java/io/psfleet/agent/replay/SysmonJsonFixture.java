package io.psfleet.agent.replay;

import java.io.IOException;
import java.nio.file.Path;

/** The replay tests' recording, for tests of other packages. */
public final class SysmonJsonFixture {
  private SysmonJsonFixture() {}

  /** Writes {@link SysmonJson#attack()} to {@code file}. */
  public static Path attack(Path file) throws IOException {
    return SysmonJson.attack().write(file);
  }
}
