package io.psfleet.agent.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link FleetPublishingContract} against Kafka in a container (the official apache/kafka image,
 * KRaft). Skipped, not failed, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaFleetPublishingIT extends FleetPublishingContract {
  /** The broker image the compose and Kubernetes files use too. */
  static final String KAFKA_IMAGE = "apache/kafka:4.2.2";

  @Container static final KafkaContainer KAFKA = new KafkaContainer(KAFKA_IMAGE);

  @Override
  String bootstrap() {
    return KAFKA.getBootstrapServers();
  }
}
