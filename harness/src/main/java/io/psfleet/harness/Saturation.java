package io.psfleet.harness;

import io.psfleet.harness.latency.StepLatency;

/**
 * Whether one step of a stepped load run saturated the pipeline, and where: the first of three
 * signs in the order they show up.
 */
public final class Saturation {
  /** A step's start (booting its hosts) costs about a tenth of its time: 20% short is saturated. */
  static final double OFFERED_SHARE = 0.8;

  private Saturation() {}

  /**
   * @param rate events/s the step asked for
   * @param achieved events/s the simulator offered
   * @param lagStart the consumer's lag when the step began
   * @param lagEnd its lag when the step ended
   * @param alerts alerts of the step joined with their ground truth
   * @param ttaP95Millis their time to alert, 95th percentile
   * @param ttaLimitMillis the p95 above which a step is saturated
   * @param consumer who consumes the step's records (the detection job, a consumer group), as the
   *     verdict names it
   * @return what saturated, or null for a healthy step
   */
  public static String verdict(
      long rate,
      double achieved,
      long lagStart,
      long lagEnd,
      long alerts,
      long ttaP95Millis,
      long ttaLimitMillis,
      String consumer) {
    if (achieved < OFFERED_SHARE * rate) {
      return "simulator/publisher could not offer the rate";
    }
    // Lag that grows by more than two seconds of input, and is above one second of it.
    if (lagEnd > lagStart + rate * 2L && lagEnd > rate) {
      return consumer + ": consumer lag grows";
    }
    if (alerts > 0 && ttaP95Millis > ttaLimitMillis) {
      return consumer + ": time to alert p95 above " + ttaLimitMillis + " ms";
    }
    return null;
  }

  /**
   * The end-to-end sign, for a step measured on a pipeline's output topic: its latency p95 above
   * the limit, or none of its tracked ids back within the limit after the step's end (a pipeline
   * that is stuck, far behind, or does not carry the id: the message says which to check).
   *
   * @return what saturated, or null
   */
  public static String latencyVerdict(StepLatency latency, long limitMillis, String topic) {
    if (latency.samples() > 0 && latency.p95Millis() > limitMillis) {
      return "output topic " + topic + ": end-to-end latency p95 above " + limitMillis + " ms";
    }
    if (latency.tracked() > 0 && latency.samples() == 0) {
      return "output topic "
          + topic
          + ": none of "
          + latency.tracked()
          + " tracked ids came back within "
          + limitMillis
          + " ms (pipeline stuck or behind, or its output does not carry the --match id)";
    }
    return null;
  }
}
