package io.psfleet.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory (checkpoints of a local run) that is deleted, contents and all, on close.
 */
public final class ScratchDirectory implements AutoCloseable {
  private final Path path;

  public ScratchDirectory(String prefix) throws IOException {
    path = Files.createTempDirectory(prefix);
  }

  public Path path() {
    return path;
  }

  /** The directory as a URI, e.g. for Flink's checkpoint directory. */
  public String uri() {
    return path.toUri().toString();
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }
}
