package io.psfleet.jobs.sigma;

/**
 * What a subtask of the job's Sigma operator says once it has taken (or refused) a rule set
 * version: the answer {@code rules push} waits for, one per subtask, on the acknowledgements topic.
 *
 * @param version the rule set's version
 * @param job the job's id, so that acknowledgements of two jobs on one cluster are told apart
 * @param subtask the subtask that acknowledges
 * @param subtasks how many subtasks the Sigma operator has: the version runs everywhere once each
 *     has acknowledged it
 * @param rulesCompiled the rules it runs from this version
 * @param correlations the correlation rules among them
 * @param rejected the rules the job's engine rejected, each as {@code file:line: [id] title:
 *     reason}; the job runs the others
 * @param refused why the job refused the version and kept the set it ran, or null when it took it
 */
public record RuleSetAck(
    long version,
    String job,
    int subtask,
    int subtasks,
    int rulesCompiled,
    int correlations,
    String[] rejected,
    String refused) {

  public boolean taken() {
    return refused == null;
  }
}
