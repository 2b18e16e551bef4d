package io.psfleet.sigma.parse;

import java.util.List;
import java.util.Map;

/**
 * One Sigma rule document as written, before compilation. Strings may be null where absent; {@code
 * name} is the rule's {@code name:}, by which correlation rules may refer to it.
 */
public record RuleDocument(
    String id,
    String name,
    String title,
    String status,
    String level,
    String description,
    String author,
    String date,
    String modified,
    List<String> references,
    List<String> falsepositives,
    List<String> tags,
    List<String> fields,
    String product,
    String category,
    String service,
    Map<String, SearchIdentifier> detection,
    List<String> conditions,
    int conditionLine,
    int line) {}
