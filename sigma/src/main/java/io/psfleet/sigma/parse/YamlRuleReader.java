package io.psfleet.sigma.parse;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the YAML documents of one Sigma file into {@link RuleDocument}s. Uses SnakeYAML's node
 * graph (not Java objects) so every error keeps its line and every scalar its YAML type and exact
 * text. Never throws: each document ends as parsed, unsupported or failed.
 */
public final class YamlRuleReader {
  private YamlRuleReader() {}

  /** Every document of {@code text}; a YAML syntax error ends the file with one failure. */
  public static List<DocumentOutcome> read(String text) {
    List<DocumentOutcome> out = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    Yaml yaml = new Yaml(options);
    try {
      for (Node node : yaml.composeAll(new StringReader(text))) {
        if (node == null) {
          continue;
        }
        out.add(document(node));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      out.add(new DocumentOutcome.Failed(line, null, null, "malformed YAML: " + context + problem));
    } catch (YAMLException e) {
      out.add(new DocumentOutcome.Failed(0, null, null, "malformed YAML: " + e.getMessage()));
    }
    return out;
  }

  private static DocumentOutcome document(Node node) {
    int line = line(node);
    if (!(node instanceof MappingNode map)) {
      return new DocumentOutcome.Failed(
          line, null, null, "not a Sigma rule: the document is not a YAML mapping");
    }
    Map<String, Node> keys;
    try {
      keys = keys(map);
    } catch (SigmaSyntaxException e) {
      return new DocumentOutcome.Failed(e.line(), null, null, e.reason());
    }
    String id = null;
    String title = null;
    try {
      id = optionalString(keys, "id");
      title = optionalString(keys, "title");
      if (keys.containsKey("correlation")) {
        return new DocumentOutcome.Correlation(correlation(keys, id, title, line));
      }
      if (keys.containsKey("filter")) {
        return new DocumentOutcome.Unsupported("filter", line, id, title);
      }
      if (keys.containsKey("action")) {
        throw new SigmaSyntaxException(
            line(keys.get("action")),
            "rule collections (action: global/reset/repeat) are not supported");
      }
      if (!keys.containsKey("detection") && !keys.containsKey("logsource")) {
        throw new SigmaSyntaxException(line, "not a Sigma rule: no logsource and no detection");
      }
      if (title == null) {
        throw new SigmaSyntaxException(line, "missing title");
      }
      Node logsource = keys.get("logsource");
      if (logsource == null) {
        throw new SigmaSyntaxException(line, "missing logsource");
      }
      Map<String, Node> ls = keys(mapping(logsource, "logsource"));
      Node detectionNode = keys.get("detection");
      if (detectionNode == null) {
        throw new SigmaSyntaxException(line, "missing detection");
      }
      Map<String, Node> detection = keys(mapping(detectionNode, "detection"));
      Node conditionNode = detection.get("condition");
      if (conditionNode == null) {
        throw new SigmaSyntaxException(line(detectionNode), "detection has no condition");
      }
      List<String> conditions = new ArrayList<>();
      if (conditionNode instanceof SequenceNode seq) {
        for (Node c : seq.getValue()) {
          conditions.add(scalarString(c, "condition"));
        }
        if (conditions.isEmpty()) {
          throw new SigmaSyntaxException(line(conditionNode), "empty condition list");
        }
      } else {
        conditions.add(scalarString(conditionNode, "condition"));
      }
      Map<String, SearchIdentifier> searches = new LinkedHashMap<>();
      for (Map.Entry<String, Node> e : detection.entrySet()) {
        if (e.getKey().equals("condition") || e.getKey().equals("timeframe")) {
          continue;
        }
        searches.put(e.getKey(), searchIdentifier(e.getKey(), e.getValue()));
      }
      if (searches.isEmpty()) {
        throw new SigmaSyntaxException(line(detectionNode), "detection has no search identifier");
      }
      RuleDocument rule =
          new RuleDocument(
              id,
              optionalString(keys, "name"),
              title,
              optionalString(keys, "status"),
              optionalString(keys, "level"),
              optionalString(keys, "description"),
              optionalString(keys, "author"),
              optionalString(keys, "date"),
              optionalString(keys, "modified"),
              stringList(keys, "references"),
              stringList(keys, "falsepositives"),
              stringList(keys, "tags"),
              stringList(keys, "fields"),
              optionalString(ls, "product"),
              optionalString(ls, "category"),
              optionalString(ls, "service"),
              searches,
              conditions,
              line(conditionNode),
              line);
      return new DocumentOutcome.Parsed(rule);
    } catch (SigmaSyntaxException e) {
      return new DocumentOutcome.Failed(e.line(), id, title, e.reason());
    }
  }

  /**
   * A correlation document: its shape is checked here (mappings, lists and scalars where the
   * specification has them, the mandatory keys); what the values mean is the loader's to judge.
   */
  private static CorrelationDocument correlation(
      Map<String, Node> keys, String id, String title, int line) throws SigmaSyntaxException {
    if (title == null) {
      throw new SigmaSyntaxException(line, "missing title");
    }
    if (keys.containsKey("detection") || keys.containsKey("logsource")) {
      throw new SigmaSyntaxException(
          line, "a correlation rule has no detection or logsource of its own");
    }
    Node section = keys.get("correlation");
    Map<String, Node> c = keys(mapping(section, "correlation"));
    Node type = c.get("type");
    if (type == null) {
      throw new SigmaSyntaxException(line(section), "correlation has no type");
    }
    Node rules = c.get("rules");
    if (rules == null) {
      throw new SigmaSyntaxException(line(section), "correlation has no rules");
    }
    List<String> ruleRefs = stringList(c, "rules");
    if (ruleRefs.isEmpty()) {
      throw new SigmaSyntaxException(line(rules), "correlation rules is empty");
    }
    Node timespan = c.get("timespan");
    if (timespan == null) {
      throw new SigmaSyntaxException(line(section), "correlation has no timespan");
    }
    Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
    Node aliasNode = c.get("aliases");
    if (aliasNode != null && !(aliasNode instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
      for (Map.Entry<String, Node> alias : keys(mapping(aliasNode, "aliases")).entrySet()) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Node> perRule = keys(mapping(alias.getValue(), "alias " + alias.getKey()));
        for (String rule : perRule.keySet()) {
          fields.put(rule, scalarString(perRule.get(rule), "alias " + alias.getKey() + "." + rule));
        }
        aliases.put(alias.getKey(), Map.copyOf(fields));
      }
    }
    List<CorrelationDocument.Comparison> comparisons = new ArrayList<>();
    List<String> fields = List.of();
    Node conditionNode = c.get("condition");
    if (conditionNode != null) {
      Map<String, Node> condition = keys(mapping(conditionNode, "correlation condition"));
      for (Map.Entry<String, Node> e : condition.entrySet()) {
        if (e.getKey().equals("field")) {
          fields = stringList(condition, "field");
        } else if (e.getValue() instanceof ScalarNode s) {
          comparisons.add(new CorrelationDocument.Comparison(e.getKey(), value(s)));
        } else {
          throw new SigmaSyntaxException(
              line(e.getValue()), "condition " + e.getKey() + " must be a number");
        }
      }
    }
    Boolean generate = null;
    Node generateNode = keys.get("generate");
    if (generateNode != null) {
      if (!(generateNode instanceof ScalarNode g) || !g.getTag().equals(Tag.BOOL)) {
        throw new SigmaSyntaxException(line(generateNode), "generate must be true or false");
      }
      // YAML 1.1 booleans: true/yes/on and false/no/off, in any case.
      generate = Set.of("true", "yes", "on").contains(g.getValue().toLowerCase(Locale.ROOT));
    }
    return new CorrelationDocument(
        id,
        optionalString(keys, "name"),
        title,
        optionalString(keys, "status"),
        optionalString(keys, "level"),
        optionalString(keys, "description"),
        optionalString(keys, "author"),
        stringList(keys, "references"),
        stringList(keys, "falsepositives"),
        stringList(keys, "tags"),
        scalarString(type, "correlation type"),
        ruleRefs,
        stringList(c, "group-by"),
        Map.copyOf(aliases),
        scalarString(timespan, "timespan"),
        List.copyOf(comparisons),
        fields,
        generate,
        line(type),
        line(rules),
        line(timespan),
        conditionNode == null ? line(section) : line(conditionNode),
        line);
  }

  private static SearchIdentifier searchIdentifier(String name, Node node)
      throws SigmaSyntaxException {
    List<List<DetectionItem>> alternatives = new ArrayList<>();
    if (node instanceof MappingNode map) {
      alternatives.add(items(map));
    } else if (node instanceof SequenceNode seq) {
      List<RawValue> keywords = new ArrayList<>();
      for (Node element : seq.getValue()) {
        if (element instanceof MappingNode m) {
          alternatives.add(items(m));
        } else if (element instanceof ScalarNode s) {
          keywords.add(value(s));
        } else {
          throw new SigmaSyntaxException(
              line(element), "search identifier '" + name + "': nested lists are not allowed");
        }
      }
      if (!keywords.isEmpty()) {
        alternatives.add(
            List.of(new DetectionItem(null, List.of(), keywords, line(seq.getValue().get(0)))));
      }
      if (alternatives.isEmpty()) {
        throw new SigmaSyntaxException(line(node), "search identifier '" + name + "' is empty");
      }
    } else if (node instanceof ScalarNode s) {
      RawValue v = value(s);
      if (v.type() == RawValue.Type.NULL) {
        throw new SigmaSyntaxException(line(node), "search identifier '" + name + "' is empty");
      }
      alternatives.add(List.of(new DetectionItem(null, List.of(), List.of(v), line(s))));
    } else {
      throw new SigmaSyntaxException(line(node), "search identifier '" + name + "' is not valid");
    }
    return new SearchIdentifier(name, alternatives, line(node));
  }

  private static List<DetectionItem> items(MappingNode map) throws SigmaSyntaxException {
    List<DetectionItem> items = new ArrayList<>();
    keys(map); // rejects non-scalar and repeated keys
    Map<String, Integer> keyLines = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      keyLines.put(((ScalarNode) t.getKeyNode()).getValue(), line(t.getKeyNode()));
    }
    for (Map.Entry<String, Node> e : keys(map).entrySet()) {
      String[] parts = e.getKey().split("\\|", -1);
      String field = parts[0].isEmpty() ? null : parts[0];
      List<String> modifiers = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        modifiers.add(parts[i]);
      }
      Node v = e.getValue();
      List<RawValue> values = new ArrayList<>();
      if (v instanceof SequenceNode seq) {
        for (Node element : seq.getValue()) {
          if (!(element instanceof ScalarNode s)) {
            throw new SigmaSyntaxException(
                line(element), "'" + e.getKey() + "': values must be scalars");
          }
          values.add(value(s));
        }
        if (values.isEmpty()) {
          throw new SigmaSyntaxException(line(v), "'" + e.getKey() + "': empty value list");
        }
      } else if (v instanceof ScalarNode s) {
        values.add(value(s));
      } else {
        throw new SigmaSyntaxException(
            line(v), "'" + e.getKey() + "': a value must be a scalar or a list of scalars");
      }
      items.add(new DetectionItem(field, modifiers, values, keyLines.get(e.getKey())));
    }
    return items;
  }

  private static RawValue value(ScalarNode s) {
    Tag tag = s.getTag();
    RawValue.Type type;
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      type = RawValue.Type.NUMBER;
    } else if (tag.equals(Tag.BOOL)) {
      type = RawValue.Type.BOOL;
    } else if (tag.equals(Tag.NULL)) {
      type = RawValue.Type.NULL;
    } else {
      type = RawValue.Type.STRING;
    }
    return new RawValue(type, s.getValue(), line(s));
  }

  private static MappingNode mapping(Node node, String what) throws SigmaSyntaxException {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw new SigmaSyntaxException(line(node), what + " must be a mapping");
  }

  /** The keys of a mapping in order; rejects non-scalar and repeated keys. */
  private static Map<String, Node> keys(MappingNode map) throws SigmaSyntaxException {
    Map<String, Node> keys = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new SigmaSyntaxException(line(t.getKeyNode()), "mapping keys must be scalars");
      }
      if (!seen.add(k.getValue())) {
        throw new SigmaSyntaxException(line(k), "duplicate key '" + k.getValue() + "'");
      }
      keys.put(k.getValue(), t.getValueNode());
    }
    return keys;
  }

  private static String optionalString(Map<String, Node> keys, String key)
      throws SigmaSyntaxException {
    Node n = keys.get(key);
    if (n == null) {
      return null;
    }
    if (n instanceof ScalarNode s) {
      return s.getTag().equals(Tag.NULL) ? null : s.getValue();
    }
    throw new SigmaSyntaxException(line(n), "'" + key + "' must be a scalar");
  }

  private static String scalarString(Node n, String what) throws SigmaSyntaxException {
    if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return s.getValue();
    }
    throw new SigmaSyntaxException(line(n), what + " must be a string");
  }

  private static List<String> stringList(Map<String, Node> keys, String key)
      throws SigmaSyntaxException {
    Node n = keys.get(key);
    if (n == null) {
      return List.of();
    }
    if (n instanceof ScalarNode s) {
      return s.getTag().equals(Tag.NULL) ? List.of() : List.of(s.getValue());
    }
    if (n instanceof SequenceNode seq) {
      List<String> out = new ArrayList<>();
      for (Node e : seq.getValue()) {
        if (!(e instanceof ScalarNode s)) {
          throw new SigmaSyntaxException(line(e), "'" + key + "' must be a list of strings");
        }
        out.add(s.getValue());
      }
      return List.copyOf(out);
    }
    throw new SigmaSyntaxException(line(n), "'" + key + "' must be a list of strings");
  }

  private static int line(Node n) {
    return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }
}
