package io.psfleet.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FleetPublishingContract} against the in-process KRaft broker the build starts. */
class EmbeddedKafkaFleetPublishingIT extends FleetPublishingContract {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Override
  String bootstrap() {
    return KAFKA.bootstrapServers();
  }

  @Test
  void brokerOutageSlowsTheFleetDownAndLosesNothing() throws Exception {
    FleetConfig paced =
        config(Map.of()).toBuilder()
            .hosts(8)
            .seed(5)
            .duration(Duration.ofMinutes(10))
            .bootWindow(Duration.ofSeconds(20))
            .speedup(120)
            .build();
    KafkaPublisherConfig smallBuffer =
        KafkaPublisherConfig.of(bootstrap())
            .withOverrides(
                Map.of("buffer.memory", "131072", "batch.size", "16384", "max.block.ms", "1000"));

    CompletableFuture<Published> run =
        CompletableFuture.supplyAsync(() -> publish(paced, smallBuffer));
    TimeUnit.SECONDS.sleep(1);
    KAFKA.kafka().stop();
    TimeUnit.SECONDS.sleep(3);
    KAFKA.kafka().restart();
    Published published = run.get(120, TimeUnit.SECONDS);

    assertThat(published.stats().failed()).isZero();
    assertThat(published.stats().blockedNanos())
        .as("the outage was felt as back-pressure")
        .isPositive();
    assertThat((long) published.telemetry().size()).isEqualTo(published.summary().last().events());
    valuesByHost(published.telemetry())
        .forEach((host, values) -> assertThat(values).as(host).doesNotHaveDuplicates());
    Map<String, List<String>> byHost = valuesByHost(published.telemetry());
    assertThat(byHost).hasSize(8);
  }
}
