package io.psfleet.sigma;

/**
 * What the loader did with one rule document (or with a file it could not read).
 *
 * @param source the file (or source name)
 * @param line the 1-based line the outcome points at (the reason's line for rejections; 0 unknown)
 * @param id the rule id where known
 * @param title the rule title where known
 * @param status loaded, rejected, not applicable or unsupported
 * @param detail the reason (rejected, not applicable, unsupported) or the event kinds (loaded)
 */
public record RuleOutcome(
    String source, int line, String id, String title, Status status, String detail) {
  public enum Status {
    LOADED,
    /** Invalid or using something the engine does not support: a load error. */
    REJECTED,
    /** Valid, but for a logsource the engine does not route. */
    NOT_APPLICABLE,
    /** A filter document: not run yet. */
    UNSUPPORTED
  }

  /** One line for a report: {@code file:line: [id] title: detail}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(source).append(':').append(line).append(": ");
    if (id != null) {
      b.append('[').append(id).append("] ");
    }
    if (title != null) {
      b.append(title).append(": ");
    }
    b.append(detail);
    return b.toString();
  }
}
