package io.psfleet.ocsf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of an OCSF schema source tree ({@code dictionary.json}, {@code events/...}), read
 * either from a checkout of the schema repository or from the copy bundled in this jar.
 */
abstract class SchemaFiles {
  /** The directory of the bundled copy, under the classpath root. */
  static final String BUNDLED_DIR = "ocsf-schema-1.3.0";

  /**
   * Lists the bundled files, one relative path a line: a jar cannot be listed portably, so the list
   * ships beside the copy (and a test keeps it equal to the copy).
   */
  static final String BUNDLED_INDEX = "ocsf-schema-1.3.0.files";

  /** Every file's path relative to the schema root, with '/' separators. */
  abstract List<String> paths();

  abstract byte[] read(String path);

  static SchemaFiles bundled() {
    return new Bundled();
  }

  static SchemaFiles directory(Path root) {
    return new Directory(root);
  }

  private static final class Bundled extends SchemaFiles {
    private final List<String> paths;

    Bundled() {
      String index = new String(resource(BUNDLED_INDEX), StandardCharsets.UTF_8);
      this.paths = index.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    List<String> paths() {
      return paths;
    }

    @Override
    byte[] read(String path) {
      return resource(BUNDLED_DIR + "/" + path);
    }

    private static byte[] resource(String name) {
      try (InputStream in = SchemaFiles.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled OCSF schema resource " + name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled OCSF schema resource " + name, e);
      }
    }
  }

  private static final class Directory extends SchemaFiles {
    private final Path root;

    Directory(Path root) {
      this.root = root;
    }

    @Override
    List<String> paths() {
      try (Stream<Path> files = Files.walk(root)) {
        return files
            .filter(Files::isRegularFile)
            .map(p -> root.relativize(p).toString().replace('\\', '/'))
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list OCSF schema at " + root, e);
      }
    }

    @Override
    byte[] read(String path) {
      try {
        return Files.readAllBytes(root.resolve(path));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read OCSF schema file " + root.resolve(path), e);
      }
    }
  }
}
