package io.psfleet.agent.fleet;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.scenario.Scenarios;
import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.workload.Programs;
import io.psfleet.agent.workload.WindowsImages;

/**
 * What all hosts of a fleet share: files, programs, scenarios and the hash cache. Built in a fixed
 * order, which fixes image bases, which makes runs reproducible.
 */
public record FleetAssets(
    WindowsImages images, Programs programs, Scenarios scenarios, FileHashCache hashes) {

  public static FleetAssets create() {
    WindowsImages images = new WindowsImages(new ImageCatalog());
    Programs programs = new Programs(images);
    return new FleetAssets(images, programs, new Scenarios(images, programs), new FileHashCache());
  }
}
