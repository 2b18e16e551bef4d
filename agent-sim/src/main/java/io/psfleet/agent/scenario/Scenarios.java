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
  private final List<Scenario> scored;
  private final List<Scenario> library;
  private final ScenarioFiles files;

  public Scenarios(WindowsImages images, Programs programs) {
    files = new ScenarioFiles(images);
    List<Scenario> attacks = AttackScenarios.all(images, programs, files);
    List<Scenario> lookalikes = LookalikeScenarios.all(images, programs, files);
    List<Scenario> all = new ArrayList<>(attacks);
    all.addAll(lookalikes);
    scored = List.copyOf(all);
    List<Scenario> techniqueAttacks = new ArrayList<>(TechniqueScenarios.attacks(images, files));
    techniqueAttacks.addAll(CredentialAccessScenarios.attacks(images, files));
    List<Scenario> techniques = new ArrayList<>(techniqueAttacks);
    List<Scenario> techniqueLookalikes =
        new ArrayList<>(TechniqueScenarios.lookalikes(images, files));
    techniqueLookalikes.addAll(CredentialAccessScenarios.lookalikes(images, files));
    techniques.addAll(techniqueLookalikes);
    library = List.copyOf(techniques);
    List<Scenario> every = new ArrayList<>(attacks);
    every.addAll(techniqueAttacks);
    every.addAll(lookalikes);
    every.addAll(techniqueLookalikes);
    for (Scenario scenario : every) {
      byName.putIfAbsent(scenario.name(), scenario);
    }
  }

  /**
   * The scenarios psfleet's own detection job is scored on, the default injection set: attacks its
   * rules must detect and look-alikes they must not.
   */
  public List<Scenario> all() {
    return scored;
  }

  /**
   * The technique library: attacks that rules over Sysmon's fields (Sigma) detect, which psfleet's
   * own rules do not cover, and their look-alikes.
   */
  public List<Scenario> library() {
    return library;
  }

  /**
   * Every registered scenario: {@link #all()} and the techniques that rules over Sysmon's fields
   * (Sigma) detect, which psfleet's own rules do not cover yet. Any of them can be injected by
   * name.
   */
  public List<Scenario> everyScenario() {
    return List.copyOf(byName.values());
  }

  /** Every attack, in registration order. */
  public List<Scenario> attacks() {
    return byName.values().stream().filter(Scenario::attack).toList();
  }

  /** Every look-alike, in registration order. */
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
