package io.psfleet.ocsf;

import java.util.List;

/**
 * What the validator found in one event.
 *
 * @param errors what makes the event invalid OCSF
 * @param warnings missing recommended attributes, deprecated parts, a differing schema version
 */
public record ValidationResult(List<Issue> errors, List<Issue> warnings) {
  public ValidationResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(errors.size()).append(" errors, ").append(warnings.size()).append(" warnings");
    for (Issue e : errors) {
      s.append("\n  error   ").append(e);
    }
    for (Issue w : warnings) {
      s.append("\n  warning ").append(w);
    }
    return s.toString();
  }
}
