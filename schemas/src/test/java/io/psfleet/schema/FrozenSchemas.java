package io.psfleet.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The released schema versions frozen under test resources {@code frozen/v<N>/}, one named type per
 * file as in {@code src/main/avro}, parsed the way a producer of that version saw them.
 */
public final class FrozenSchemas {

  private FrozenSchemas() {}

  /** Version directory name ({@code v1}, ...) to that version's named types by full name. */
  public static SortedMap<String, Map<String, Schema>> versions() {
    SortedMap<String, Map<String, Schema>> versions = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root())) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        versions.put(dir.getFileName().toString(), parseVersion(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  /**
   * Parses one version's files. Their order is unknown and a file can only name types parsed before
   * it, so a file that fails waits for the others; each attempt gets a fresh parser seeded with the
   * types already parsed, because a failed parse leaves a parser's state undefined.
   */
  private static Map<String, Schema> parseVersion(Path dir) throws IOException {
    Deque<Path> pending;
    try (Stream<Path> files = Files.list(dir)) {
      pending =
          new ArrayDeque<>(files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList());
    }
    Map<String, Schema> types = new LinkedHashMap<>();
    int failuresInARow = 0;
    while (!pending.isEmpty()) {
      Path file = pending.removeFirst();
      Schema.Parser parser = new Schema.Parser().addTypes(List.copyOf(types.values()));
      try {
        parser.parse(file.toFile());
        types.putAll(parser.getTypes());
        failuresInARow = 0;
      } catch (SchemaParseException | AvroTypeException e) {
        pending.addLast(file);
        if (++failuresInARow == pending.size()) {
          throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
        }
      }
    }
    return types;
  }

  private static Path root() {
    try {
      return Path.of(FrozenSchemas.class.getResource("/frozen").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
