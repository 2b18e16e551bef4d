package io.psfleet.cli;

import io.psfleet.kafka.EmbeddedKafka;

/** {@link PipelineContract} on the embedded KRaft broker: runs everywhere, Docker or not. */
class PipelineIT extends PipelineContract {
  @Override
  Broker startBroker() {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    return new Broker() {
      @Override
      public String bootstrapServers() {
        return kafka.bootstrapServers();
      }

      @Override
      public void close() {
        kafka.close();
      }
    };
  }
}
