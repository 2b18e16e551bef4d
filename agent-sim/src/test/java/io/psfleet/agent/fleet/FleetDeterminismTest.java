package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.publish.JsonLinesPublisher;
import io.psfleet.schema.TelemetryEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetDeterminismTest {
  private static final FleetConfig BASE =
      FleetRun.config(6, Duration.ofMinutes(20), Map.of("dll-injection", 2, "fleet-campaign", 1));

  @Test
  void sameSeedAndOptionsPublishTheSameBytesInTheSameOrder() {
    FleetRun first = FleetRun.run(BASE);
    FleetRun second = FleetRun.run(BASE);

    assertThat(first.published.telemetry).hasSizeGreaterThan(1_000);
    assertThat(second.published.telemetry).hasSameSizeAs(first.published.telemetry);
    for (int i = 0; i < first.published.telemetry.size(); i++) {
      assertThat(second.published.telemetry.get(i).key())
          .isEqualTo(first.published.telemetry.get(i).key());
      assertThat(second.published.telemetry.get(i).value())
          .isEqualTo(first.published.telemetry.get(i).value());
    }
  }

  @Test
  void jsonLinesOutputIsIdenticalByteForByte() {
    assertThat(json(BASE)).isEqualTo(json(BASE));
  }

  @Test
  void workerThreadCountDoesNotChangeTheStream() {
    FleetRun one = FleetRun.run(BASE);
    FleetRun three = FleetRun.run(BASE.withThreads(3));

    assertThat(three.events).isEqualTo(one.events);
  }

  @Test
  void anotherSeedGivesAnotherStream() {
    FleetRun one = FleetRun.run(BASE);
    FleetRun other = FleetRun.run(BASE.withSeed(8));

    assertThat(other.events).isNotEqualTo(one.events);
  }

  @Test
  void shardsTogetherMakeTheWholeFleetWithDisjointHosts() {
    FleetRun whole = FleetRun.run(BASE);
    FleetRun first = FleetRun.run(BASE.withShard(new Shard(1, 2)));
    FleetRun second = FleetRun.run(BASE.withShard(new Shard(2, 2)));

    Map<String, List<TelemetryEvent>> a = first.byHost();
    Map<String, List<TelemetryEvent>> b = second.byHost();
    assertThat(a.keySet()).doesNotContainAnyElementsOf(b.keySet());
    assertThat(a.size() + b.size()).isEqualTo(6);
    whole
        .byHost()
        .forEach(
            (host, events) ->
                assertThat(a.containsKey(host) ? a.get(host) : b.get(host))
                    .as(host)
                    .isEqualTo(events));
    assertThat(first.groundTruth.size() + second.groundTruth.size())
        .isEqualTo(whole.groundTruth.size());
  }

  @Test
  void everyHostsSequenceNumbersRunOneTwoThreeWithoutGap() {
    FleetRun run = FleetRun.run(BASE);

    run.byHost()
        .forEach(
            (host, events) -> {
              for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).getHeader().getSequence()).as(host).isEqualTo(i + 1L);
              }
            });
  }

  private static byte[] json(FleetConfig config) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonLinesPublisher publisher = new JsonLinesPublisher(bytes, true)) {
      new Fleet(config, FleetAssets.create(), publisher, null, RecordFormat.JSON, p -> {}).run();
    }
    return bytes.toByteArray();
  }
}
