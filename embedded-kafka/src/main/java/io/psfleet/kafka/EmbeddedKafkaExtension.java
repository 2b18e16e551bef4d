package io.psfleet.kafka;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link EmbeddedKafka} per test class, started before the first test and
 * closed (directory deleted) after the last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 *
 * @Test
 * void something() {
 *   KAFKA.kafka().createTopics(8, "topic");
 *   ... KAFKA.bootstrapServers() ...
 * }
 * }</pre>
 *
 * Test methods and constructors may also take an {@link EmbeddedKafka} parameter. JUnit is a
 * provided dependency of this module: the tests that use the extension bring their own.
 */
public final class EmbeddedKafkaExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private final EmbeddedKafka.Config config;
  private volatile EmbeddedKafka kafka;
  // The class that started the broker: @Nested classes inherit the extension but must not close it.
  private volatile String owner;

  public EmbeddedKafkaExtension() {
    this(EmbeddedKafka.Config.defaults());
  }

  public EmbeddedKafkaExtension(EmbeddedKafka.Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The running broker. */
  public EmbeddedKafka kafka() {
    EmbeddedKafka running = kafka;
    if (running == null) {
      throw new IllegalStateException(
          "embedded Kafka is not started: register EmbeddedKafkaExtension on a static field"
              + " with @RegisterExtension");
    }
    return running;
  }

  public String bootstrapServers() {
    return kafka().bootstrapServers();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(config);
      owner = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!context.getUniqueId().equals(owner)) {
      return;
    }
    EmbeddedKafka running = kafka;
    kafka = null;
    if (running != null) {
      running.close();
    }
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return kafka();
  }
}
