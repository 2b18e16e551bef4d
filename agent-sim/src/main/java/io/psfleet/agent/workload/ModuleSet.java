package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.ImageFile;
import java.util.List;

/**
 * DLLs that load together (the Win32 core, GUI, networking, an application's own): shared by all
 * hosts.
 */
public record ModuleSet(String name, List<ImageFile> files) {
  public ModuleSet {
    files = List.copyOf(files);
  }
}
