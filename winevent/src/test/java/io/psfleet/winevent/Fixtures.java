package io.psfleet.winevent;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Hand-written recordings under {@code src/test/resources/fixtures}. */
final class Fixtures {
  private Fixtures() {}

  static Path fixture(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
