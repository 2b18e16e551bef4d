package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.EProcess;
import java.util.ArrayList;
import java.util.List;

/** A program the workload started and still tracks: its process and the children it started. */
public final class RunningProcess {
  private final EProcess process;
  private final Program program;
  private List<RunningProcess> children = List.of();

  RunningProcess(EProcess process, Program program) {
    this.process = process;
    this.program = program;
  }

  public EProcess process() {
    return process;
  }

  public Program program() {
    return program;
  }

  List<RunningProcess> children() {
    return children;
  }

  void addChild(RunningProcess child) {
    if (children.isEmpty()) {
      children = new ArrayList<>(4);
    }
    children.add(child);
  }
}
