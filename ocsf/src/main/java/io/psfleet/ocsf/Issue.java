package io.psfleet.ocsf;

/**
 * One thing the validator found.
 *
 * @param path where, as the OCSF server writes it: {@code process.parent_process.file.name}, {@code
 *     evidences[0].file}; empty for the event itself
 */
public record Issue(String path, String message) {
  @Override
  public String toString() {
    return (path.isEmpty() ? "(event)" : path) + ": " + message;
  }
}
