package io.psfleet.agent.it;

import io.psfleet.kafka.EmbeddedKafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FleetPublishingContract} against the in-process KRaft broker the build starts. */
class EmbeddedKafkaFleetPublishingIT extends FleetPublishingContract {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Override
  String bootstrap() {
    return KAFKA.bootstrapServers();
  }
}
