package io.psfleet.sigma.correlation;

/** Rule texts for the correlation tests: a few base rules with names, and a correlation builder. */
final class CorrelationRules {
  static final String THREAD_ID = "c0ffee00-0000-4000-8000-000000000001";
  static final String LOAD_ID = "c0ffee00-0000-4000-8000-000000000002";
  static final String CREATE_ID = "c0ffee00-0000-4000-8000-000000000003";

  /** Three detection rules: a remote thread, an image load, a process creation. */
  static final String BASE =
      """
      title: Remote thread
      id: %s
      name: remote_thread
      logsource:
        product: windows
        category: create_remote_thread
      detection:
        selection:
          StartFunction|startswith: LoadLibrary
        condition: selection
      ---
      title: Unsigned load
      id: %s
      name: unsigned_load
      logsource:
        product: windows
        category: image_load
      detection:
        selection:
          Signed: 'false'
        condition: selection
      ---
      title: Process created
      id: %s
      name: process_created
      logsource:
        product: windows
        category: process_creation
      detection:
        selection:
          Image|endswith: '.exe'
        condition: selection
      """
          .formatted(THREAD_ID, LOAD_ID, CREATE_ID);

  private CorrelationRules() {}

  /** A correlation document with the given id and {@code correlation:} body (2-space indent). */
  static String correlation(String id, String body) {
    return "title: Correlation "
        + id
        + "\nid: "
        + id
        + "\nlevel: high\ntags:\n  - attack.t1055.001\n  - attack.defense-evasion\ncorrelation:\n"
        + body.stripTrailing().indent(2);
  }

  /** Like {@link #correlation} with a name and extra top-level lines. */
  static String correlation(String id, String name, String topLevel, String body) {
    return correlation(id, body)
        .replace("\nlevel:", "\nname: " + name + "\n" + topLevel + "level:");
  }
}
