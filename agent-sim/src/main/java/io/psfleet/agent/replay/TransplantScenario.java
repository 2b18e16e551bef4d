package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.scenario.GroundTruthRecord;
import io.psfleet.agent.scenario.Scenario;
import io.psfleet.agent.scenario.ScenarioHost;
import io.psfleet.agent.workload.HostWorkload;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording played on a simulated host as a scenario: at its time the stand-ins start, then each
 * recorded event follows at its recorded offset, in the host's own stream and through its sensor;
 * after the last one the ground truth names every process the replay started and every event it
 * caused. The host's own processes run on around it.
 */
final class TransplantScenario implements Scenario {
  private final Transplant transplant;
  private final RecordedImages images;

  TransplantScenario(Transplant transplant, RecordedImages images) {
    this.transplant = transplant;
    this.images = images;
  }

  @Override
  public String name() {
    return transplant.recording().name();
  }

  @Override
  public String technique() {
    return transplant.groundTruthTechnique();
  }

  @Override
  public boolean attack() {
    return true;
  }

  @Override
  public String description() {
    Recording.RecordingRule rule = transplant.recording().rule();
    return "replay of "
        + transplant.recording().source()
        + (rule != null ? " (Sigma rule " + rule.id() + ": " + rule.title() + ")" : "");
  }

  @Override
  public void start(ScenarioHost host, String scenarioId) {
    new Run(host, scenarioId).begin();
  }

  /** One transplant on one host. */
  private final class Run {
    private final ScenarioHost host;
    private final String scenarioId;
    private final HostWorkload workload;
    private final RecordingPlayer player;
    private final List<RecordedEvent> events = transplant.recording().events();
    private final List<Long> sequences = new ArrayList<>();
    private long startNanos;

    Run(ScenarioHost host, String scenarioId) {
      this.host = host;
      this.scenarioId = scenarioId;
      this.workload = host.workload();
      this.player =
          new RecordingPlayer(
              transplant.recording(), new HostTarget(workload), images, transplant.roots());
    }

    void begin() {
      startNanos = workload.kernel().now();
      long before = host.lastSequence();
      player.prepare();
      collect(before);
      step(0);
    }

    // One event per agenda task, so the host's own work interleaves as time passes.
    private void step(int i) {
      if (i == events.size()) {
        finish();
        return;
      }
      long before = host.lastSequence();
      player.play(events.get(i));
      collect(before);
      if (i + 1 == events.size()) {
        finish();
      } else {
        workload.schedule(startNanos + events.get(i + 1).offsetNanos(), () -> step(i + 1));
      }
    }

    private void collect(long before) {
      for (long s = before + 1; s <= host.lastSequence(); s++) {
        sequences.add(s);
      }
    }

    private void finish() {
      List<Long> keys = new ArrayList<>();
      for (EProcess process : player.processes()) {
        keys.add(host.processKey(process));
      }
      host.recordGroundTruth(
          new GroundTruthRecord(
              scenarioId,
              name(),
              technique(),
              true,
              host.hostId(),
              host.bootId(),
              keys,
              sequences,
              workload.kernel().now(),
              description()));
    }
  }
}
