package io.psfleet.commandline;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.ITypeConverter;

/**
 * Standard Kafka client properties from a file ({@code --kafka-config FILE}): security ({@code
 * security.protocol}, {@code sasl.*}, {@code ssl.*}) and any tuning, added to every client a
 * command makes. Read when the command line is parsed, so a missing file or a key psfleet sets
 * itself fails there, naming the option.
 *
 * @param source the file, or null for {@link #NONE}
 * @param properties the settings, sorted by key
 */
public record KafkaClientConfig(Path source, Map<String, String> properties) {
  /** No file: the clients' defaults. */
  public static final KafkaClientConfig NONE = new KafkaClientConfig(null, Map.of());

  /** Keys each command sets from its own options or needs as they are. */
  private static final Set<String> OWNED =
      Set.of(
          "bootstrap.servers",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "group.id",
          "transactional.id");

  public KafkaClientConfig {
    properties = Map.copyOf(properties);
  }

  /** Reads {@code file} as Java properties; the message of a failure says what to fix. */
  public static KafkaClientConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no such file: '" + file + "' (a Kafka client properties file)");
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read '" + file + "': " + e.getMessage());
    }
    Map<String, String> settings = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (OWNED.contains(key)) {
        throw new IllegalArgumentException(
            "'"
                + file
                + "' sets "
                + key
                + ", which psfleet sets itself (use --bootstrap, or"
                + " leave it out)");
      }
      settings.put(key, p.getProperty(key).trim());
    }
    return new KafkaClientConfig(file, settings);
  }

  /** The file, or {@code none}: what help shows as the default and messages name. */
  @Override
  public String toString() {
    return source == null ? "none" : source.toString();
  }

  /** The settings as a client's config map takes them. */
  public Map<String, Object> clientSettings() {
    return Map.copyOf(properties);
  }

  /** picocli: the option's value is the file's path. */
  public static final class Converter implements ITypeConverter<KafkaClientConfig> {
    @Override
    public KafkaClientConfig convert(String value) {
      return read(Path.of(value));
    }
  }
}
