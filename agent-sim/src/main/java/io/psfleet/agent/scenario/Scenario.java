package io.psfleet.agent.scenario;

import io.psfleet.agent.workload.HostProfile;

/**
 * Something injected into a host: an attack that must alert, or a benign look-alike that must not.
 * {@link #start} runs the first step at the host's current time and schedules the rest on its
 * agenda; the last step records the ground truth.
 */
public interface Scenario {
  /** Option name, e.g. {@code dll-injection}. */
  String name();

  /** MITRE ATT&CK technique the scenario shows (or imitates). */
  String technique();

  /** True for an attack, false for a benign look-alike. */
  boolean attack();

  /** One line for --help and reports. */
  String description();

  /** Whether this kind of host can show the scenario (there is no Office on a DC). */
  default boolean runsOn(HostProfile.Kind kind) {
    return true;
  }

  void start(ScenarioHost host, String scenarioId);
}
