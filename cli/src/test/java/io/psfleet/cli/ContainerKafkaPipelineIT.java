package io.psfleet.cli;

import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link PipelineContract} against Kafka in a container (the official apache/kafka image in KRaft
 * mode), the job on a MiniCluster as in {@link PipelineIT}. Skipped, not failed, where no Docker
 * engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaPipelineIT extends PipelineContract {
  /** The broker image of the compose file and of the simulator's container test. */
  static final String KAFKA_IMAGE = "apache/kafka:4.2.2";

  @Override
  Broker startBroker() {
    KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    kafka.start();
    return new Broker() {
      @Override
      public String bootstrapServers() {
        return kafka.getBootstrapServers();
      }

      @Override
      public void close() {
        kafka.stop();
      }
    };
  }
}
