package io.psfleet.agent.fleet;

import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a small fleet into a {@link RecordingPublisher} and decodes what it published. */
public final class FleetRun {
  public static final long START = FleetConfig.Builder.DEFAULT_START_NANOS;

  public final FleetSummary summary;
  public final RecordingPublisher published;
  public final List<TelemetryEvent> events = new ArrayList<>();
  public final List<GroundTruth> groundTruth = new ArrayList<>();
  public final Fleet fleet;

  private FleetRun(FleetConfig config) {
    published = new RecordingPublisher();
    fleet = new Fleet(config, FleetAssets.create(), published, null, RecordFormat.AVRO, p -> {});
    summary = fleet.run();
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    SingleObjectCodec<GroundTruth> truths = SingleObjectCodec.groundTruth();
    try {
      for (RecordingPublisher.Sent sent : published.telemetry) {
        events.add(codec.decode(sent.value()));
      }
      for (RecordingPublisher.Sent sent : published.groundTruth) {
        groundTruth.add(truths.decode(sent.value()));
      }
    } catch (DecodeException e) {
      throw new AssertionError("the fleet published a record its own codec cannot read", e);
    }
  }

  public static FleetRun run(FleetConfig config) {
    return new FleetRun(config);
  }

  /** A config for tests: small, short, one worker thread unless changed. */
  public static FleetConfig config(int hosts, Duration duration, Map<String, Integer> scenarios) {
    return FleetConfig.builder()
        .hosts(hosts)
        .seed(7)
        .startNanos(START)
        .duration(duration)
        .bootWindow(Duration.ofSeconds(30))
        .scenarios(scenarios)
        .campaign(new CampaignShape(3, Duration.ofMinutes(5)))
        .threads(1)
        .build();
  }

  /** Events of each host, in published order. */
  public Map<String, List<TelemetryEvent>> byHost() {
    Map<String, List<TelemetryEvent>> byHost = new LinkedHashMap<>();
    for (TelemetryEvent event : events) {
      byHost.computeIfAbsent(event.getHeader().getHostId(), h -> new ArrayList<>()).add(event);
    }
    return byHost;
  }

  /** The event of {@code hostId} with header sequence {@code sequence}. */
  public TelemetryEvent event(String hostId, long sequence) {
    List<TelemetryEvent> host = byHost().get(hostId);
    TelemetryEvent event = host.get((int) sequence - 1);
    if (event.getHeader().getSequence() != sequence) {
      throw new AssertionError("sequence numbers of " + hostId + " are not 1, 2, 3, ...");
    }
    return event;
  }
}
