package io.psfleet.sigma;

import io.psfleet.sigma.compile.CompiledRule;
import io.psfleet.sigma.compile.FieldLiteral;
import io.psfleet.sigma.compile.LiteralAutomaton;
import io.psfleet.sigma.compile.RuleCompiler;
import io.psfleet.sigma.correlation.CorrelationResolver;
import io.psfleet.sigma.parse.DocumentOutcome;
import io.psfleet.sigma.parse.RuleDocument;
import io.psfleet.sigma.parse.SigmaSyntaxException;
import io.psfleet.sigma.parse.YamlRuleReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads Sigma rules from files and folders (recursively, {@code *.yml}/{@code *.yaml}, SigmaHQ's
 * layout) or text, and compiles them into a {@link SigmaRuleSet}. Never throws for bad content:
 * every problem becomes a {@link RuleOutcome} of the {@link LoadReport}. Linear in the number of
 * rules. Not thread-safe; use one loader per load.
 */
public final class SigmaLoader {
  private final List<RuleOutcome> outcomes = new ArrayList<>();
  private final Set<Path> seenFiles = new HashSet<>();
  private final List<String> fieldNames = new ArrayList<>();
  private final Map<String, Integer> fieldIds = new HashMap<>();
  private final RuleCompiler compiler = new RuleCompiler(this::fieldId);
  private final List<SigmaRule> rules = new ArrayList<>();
  private final Map<String, SigmaRule> byId = new HashMap<>();
  private final EnumMap<EventKind, List<SigmaRule>> byKind = new EnumMap<>(EventKind.class);

  /** Per kind, its rules compiled, in the order of {@link #byKind}. */
  private final EnumMap<EventKind, List<CompiledRule>> compiledByKind =
      new EnumMap<>(EventKind.class);

  private final Map<String, Integer> byLogsource = new TreeMap<>();
  private final List<CorrelationResolver.Written> correlations = new ArrayList<>();
  private int files;

  /** Loads every given file or folder. */
  public static LoadResult load(Collection<Path> paths) {
    SigmaLoader loader = new SigmaLoader();
    for (Path p : paths) {
      loader.addPath(p);
    }
    return loader.build();
  }

  public static LoadResult load(Path... paths) {
    return load(Arrays.asList(paths));
  }

  /**
   * For {@code rules check}: loads the paths and returns only the report (outcome per document,
   * grouped by file, with counts); print it with {@link LoadReport#format()}.
   */
  public static LoadReport check(Collection<Path> paths) {
    return load(paths).report();
  }

  /** Loads the documents of one YAML text; {@code source} names it in outcomes and rules. */
  public static LoadResult loadText(String source, String yaml) {
    return new SigmaLoader().addText(source, yaml).build();
  }

  /**
   * Adds a rule file, or every {@code .yml}/{@code .yaml} file under a folder. A folder walk passes
   * over what a rule repository keeps beside its rules: SigmaHQ's {@code regression_data} (test
   * recordings and their {@code info.yml}) and hidden folders ({@code .git}, {@code .github}); a
   * file named directly is always read.
   */
  public SigmaLoader addPath(Path path) {
    if (Files.isDirectory(path)) {
      List<Path> found;
      try {
        found = ruleFiles(path);
      } catch (IOException | RuntimeException e) {
        outcomes.add(
            rejected(path.toString(), 0, null, null, "cannot list folder: " + e.getMessage()));
        return this;
      }
      for (Path p : found) {
        addFile(p);
      }
    } else if (Files.exists(path)) {
      addFile(path);
    } else {
      outcomes.add(rejected(path.toString(), 0, null, null, "no such file or folder"));
    }
    return this;
  }

  /**
   * The rule files under {@code folder}, sorted: every {@code .yml}/{@code .yaml}, passing over
   * SigmaHQ's {@code regression_data} and hidden folders. The one definition of what a rule folder
   * holds, for the loader and for whoever reads rule files to ship them (the detection job).
   */
  public static List<Path> ruleFiles(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !besideTheRules(folder.relativize(p)))
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                return n.endsWith(".yml") || n.endsWith(".yaml");
              })
          .sorted()
          .toList();
    }
  }

  private static boolean besideTheRules(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("regression_data") || (name.startsWith(".") && name.length() > 1)) {
        return true;
      }
    }
    return false;
  }

  private void addFile(Path file) {
    Path key;
    try {
      key = file.toRealPath();
    } catch (IOException e) {
      key = file.toAbsolutePath().normalize();
    }
    if (!seenFiles.add(key)) {
      return;
    }
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
    } catch (CharacterCodingException e) {
      files++;
      outcomes.add(rejected(file.toString(), 0, null, null, "not UTF-8 text"));
      return;
    } catch (IOException | RuntimeException e) {
      files++;
      outcomes.add(rejected(file.toString(), 0, null, null, "cannot read: " + e.getMessage()));
      return;
    }
    addText(file.toString(), text);
  }

  /** Adds the documents of one YAML text. */
  public SigmaLoader addText(String source, String yaml) {
    files++;
    List<DocumentOutcome> docs;
    try {
      docs = YamlRuleReader.read(yaml);
    } catch (RuntimeException | StackOverflowError e) {
      outcomes.add(rejected(source, 0, null, null, "cannot parse: " + e));
      return this;
    }
    if (docs.isEmpty()) {
      outcomes.add(rejected(source, 0, null, null, "not a Sigma rule: no YAML document"));
    }
    for (DocumentOutcome d : docs) {
      if (d instanceof DocumentOutcome.Correlation c) {
        // Resolved in build(): it may refer to rules of files not read yet.
        correlations.add(new CorrelationResolver.Written(source, c.rule()));
      } else if (d instanceof DocumentOutcome.Failed f) {
        outcomes.add(rejected(source, f.line(), f.id(), f.title(), f.reason()));
      } else if (d instanceof DocumentOutcome.Unsupported u) {
        outcomes.add(
            new RuleOutcome(
                source,
                u.line(),
                u.id(),
                u.title(),
                RuleOutcome.Status.UNSUPPORTED,
                u.kind() + " rules are not supported yet"));
      } else {
        RuleDocument rule = ((DocumentOutcome.Parsed) d).rule();
        try {
          addRule(source, rule);
        } catch (RuntimeException | StackOverflowError e) {
          outcomes.add(
              rejected(source, rule.line(), rule.id(), rule.title(), "internal error: " + e));
        }
      }
    }
    return this;
  }

  private void addRule(String source, RuleDocument doc) {
    String logsource = dash(doc.product()) + "/" + dash(doc.category()) + "/" + dash(doc.service());
    byLogsource.merge(logsource, 1, Integer::sum);
    Level level = Level.parse(doc.level());
    if (level == null) {
      outcomes.add(
          rejected(
              source, doc.line(), doc.id(), doc.title(), "unknown level '" + doc.level() + "'"));
      return;
    }
    if (doc.id() != null && byId.containsKey(doc.id())) {
      SigmaRule first = byId.get(doc.id());
      outcomes.add(
          rejected(
              source,
              doc.line(),
              doc.id(),
              doc.title(),
              "duplicate rule id, first loaded from " + first.source() + ":" + first.line()));
      return;
    }
    boolean windows = "windows".equalsIgnoreCase(doc.product());
    EventKind categoryKind = EventKind.ofCategory(doc.category());
    boolean sysmon = doc.category() == null && "sysmon".equalsIgnoreCase(doc.service());
    if (!windows || (categoryKind == null && !sysmon)) {
      outcomes.add(
          new RuleOutcome(
              source,
              doc.line(),
              doc.id(),
              doc.title(),
              RuleOutcome.Status.NOT_APPLICABLE,
              "logsource " + logsource + " is not routed"));
      return;
    }
    CompiledRule compiled;
    try {
      compiled = compiler.compile(doc);
    } catch (SigmaSyntaxException e) {
      outcomes.add(rejected(source, e.line(), doc.id(), doc.title(), e.reason()));
      return;
    }
    Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
    if (categoryKind != null) {
      kinds.add(categoryKind);
    } else {
      for (int id : compiled.eventIds()) {
        EventKind k = EventKind.ofSysmonEventId(id);
        if (k != null) {
          kinds.add(k);
        }
      }
      if (kinds.isEmpty()) {
        outcomes.add(
            new RuleOutcome(
                source,
                doc.line(),
                doc.id(),
                doc.title(),
                RuleOutcome.Status.NOT_APPLICABLE,
                "sysmon rule selects no routed EventID (1, 5, 6, 7, 8, 10): "
                    + compiled.eventIds()));
        return;
      }
    }
    SigmaRule rule =
        new SigmaRule(
            doc.id(),
            doc.name(),
            doc.title(),
            doc.status(),
            level,
            doc.description(),
            doc.author(),
            doc.references(),
            doc.falsepositives(),
            doc.tags(),
            doc.fields(),
            doc.product(),
            doc.category(),
            doc.service(),
            kinds,
            source,
            doc.line(),
            rules.size(),
            compiled.expr());
    rules.add(rule);
    if (doc.id() != null) {
      byId.put(doc.id(), rule);
    }
    for (EventKind k : kinds) {
      byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(rule);
      compiledByKind.computeIfAbsent(k, x -> new ArrayList<>()).add(compiled);
    }
    outcomes.add(
        new RuleOutcome(
            source,
            doc.line(),
            doc.id(),
            doc.title(),
            RuleOutcome.Status.LOADED,
            kinds.toString()));
  }

  private int fieldId(String name) {
    Integer id = fieldIds.get(name);
    if (id == null) {
      id = fieldNames.size();
      fieldNames.add(name);
      fieldIds.put(name, id);
    }
    return id;
  }

  /** Compiles what was added; the loader should not be used afterwards. */
  public LoadResult build() {
    // The view of map-based callers always exposes EventID; give it an id even if no rule uses it.
    fieldId("EventID");
    Set<String> unloaded = new HashSet<>();
    for (RuleOutcome o : outcomes) {
      if (o.status() != RuleOutcome.Status.LOADED && o.id() != null && !byId.containsKey(o.id())) {
        unloaded.add(o.id());
      }
    }
    CorrelationResolver.Result resolved =
        CorrelationResolver.resolve(correlations, rules, unloaded);
    outcomes.addAll(resolved.outcomes());
    EnumMap<EventKind, SigmaRuleSet.KindIndex> kinds = new EnumMap<>(EventKind.class);
    EnumMap<EventKind, Integer> counts = new EnumMap<>(EventKind.class);
    for (Map.Entry<EventKind, List<SigmaRule>> e : byKind.entrySet()) {
      List<SigmaRule> rs = e.getValue();
      List<CompiledRule> compiled = compiledByKind.get(e.getKey());
      List<Integer> always = new ArrayList<>();
      byte[] fullMask = new byte[rs.size()];
      Map<Integer, Map<String, List<Integer>>> perField = new TreeMap<>();
      for (int i = 0; i < rs.size(); i++) {
        List<List<FieldLiteral>> clauses = compiled.get(i).clauses();
        if (clauses.isEmpty()) {
          always.add(i);
          continue;
        }
        fullMask[i] = (byte) ((1 << clauses.size()) - 1);
        for (int j = 0; j < clauses.size(); j++) {
          // The automaton reports (rule, clause) codes; see SigmaMatcher#hit.
          int code = (i << 2) | j;
          for (FieldLiteral fl : clauses.get(j)) {
            List<Integer> list =
                perField
                    .computeIfAbsent(fl.field(), x -> new LinkedHashMap<>())
                    .computeIfAbsent(fl.literal(), x -> new ArrayList<>());
            if (list.isEmpty() || list.get(list.size() - 1).intValue() != code) {
              list.add(code);
            }
          }
        }
      }
      Map<String, List<Integer>> anyLiterals = perField.remove(FieldLiteral.ANY);
      int[] scanFields = new int[perField.size()];
      LiteralAutomaton[] automata = new LiteralAutomaton[perField.size()];
      int k = 0;
      for (Map.Entry<Integer, Map<String, List<Integer>>> f : perField.entrySet()) {
        scanFields[k] = f.getKey();
        automata[k] = automaton(f.getValue());
        k++;
      }
      LiteralAutomaton anyValue = anyLiterals == null ? null : automaton(anyLiterals);
      int[] verdictKey = verdictKey(compiled);
      kinds.put(
          e.getKey(),
          new SigmaRuleSet.KindIndex(
              rs.toArray(new SigmaRule[0]),
              always.stream().mapToInt(Integer::intValue).toArray(),
              fullMask,
              scanFields,
              automata,
              anyValue,
              verdictKey,
              verdictKey == null ? null : verdictPresence(compiled)));
      counts.put(e.getKey(), rs.size());
    }
    SigmaRuleSet set =
        new SigmaRuleSet(
            rules,
            new FieldTable(fieldNames, fieldIds),
            kinds,
            compiler.regexSlots(),
            resolved.set());
    return new LoadResult(
        set, new LoadReport(outcomes, resolved.outcomes(), counts, byLogsource, files));
  }

  /**
   * The fields whose values decide every verdict of a kind's rules, most read first (the first few
   * are the verdict memo's hash); null where a rule searches keywords, whose verdict reads every
   * value of the event.
   */
  private static int[] verdictKey(List<CompiledRule> rules) {
    Map<Integer, Integer> readers = new TreeMap<>();
    for (CompiledRule r : rules) {
      if (r.keywords()) {
        return null;
      }
      for (int f : r.fieldsRead()) {
        readers.merge(f, 1, Integer::sum);
      }
    }
    return readers.entrySet().stream()
        .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
        .mapToInt(Map.Entry::getKey)
        .toArray();
  }

  /** The fields the kind's rules test only for presence: no rule of the kind reads their values. */
  private static int[] verdictPresence(List<CompiledRule> rules) {
    Set<Integer> tested = new TreeSet<>();
    Set<Integer> read = new TreeSet<>();
    for (CompiledRule r : rules) {
      tested.addAll(r.fieldsTested());
      read.addAll(r.fieldsRead());
    }
    tested.removeAll(read);
    return tested.stream().mapToInt(Integer::intValue).toArray();
  }

  private static LiteralAutomaton automaton(Map<String, List<Integer>> literals) {
    Map<String, int[]> lits = new LinkedHashMap<>();
    literals.forEach(
        (lit, ids) -> lits.put(lit, ids.stream().mapToInt(Integer::intValue).toArray()));
    return LiteralAutomaton.build(lits);
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  private static RuleOutcome rejected(
      String source, int line, String id, String title, String why) {
    return new RuleOutcome(source, line, id, title, RuleOutcome.Status.REJECTED, why);
  }
}
