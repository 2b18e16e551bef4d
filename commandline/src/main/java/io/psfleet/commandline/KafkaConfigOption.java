package io.psfleet.commandline;

import picocli.CommandLine.Option;

/** {@code --kafka-config FILE}, one declaration for every command that talks to Kafka. */
public final class KafkaConfigOption {
  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      converter = KafkaClientConfig.Converter.class,
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*, tuning) for every"
              + " connection; bootstrap.servers comes from --bootstrap")
  private KafkaClientConfig config = KafkaClientConfig.NONE;

  /** The file's settings, or {@link KafkaClientConfig#NONE}. */
  public KafkaClientConfig config() {
    return config;
  }
}
