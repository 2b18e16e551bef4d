package io.psfleet.agent.scenario;

import io.psfleet.agent.workload.Programs;
import io.psfleet.agent.workload.WindowsImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scenario the simulator can inject, by name: the attacks first, then the look-alikes. */
public final class Scenarios {
  private final Map<String, Scenario> byName = new LinkedHashMap<>();
  private final ScenarioFiles files;

  public Scenarios(WindowsImages images, Programs programs) {
    files = new ScenarioFiles(images);
    List<Scenario> all = new ArrayList<>(AttackScenarios.all(images, programs, files));
    all.addAll(LookalikeScenarios.all(images, programs, files));
    for (Scenario scenario : all) {
      byName.put(scenario.name(), scenario);
    }
  }

  public List<Scenario> all() {
    return List.copyOf(byName.values());
  }

  public List<Scenario> attacks() {
    return byName.values().stream().filter(Scenario::attack).toList();
  }

  public List<Scenario> lookalikes() {
    return byName.values().stream().filter(s -> !s.attack()).toList();
  }

  /** The scenario called {@code name}, or null. */
  public Scenario find(String name) {
    return byName.get(name);
  }

  public ScenarioFiles files() {
    return files;
  }
}
