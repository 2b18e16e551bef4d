package io.psfleet.jobs.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.ImagePaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The alert feed's format: an {@link Alert} as an OCSF 1.3 Detection Finding (class_uid 2004),
 * written by {@link #toJson} and read back by {@link #read} (one owner for the contract; ALERTS.md
 * in the ocsf module documents it). Every finding validates against the OCSF 1.3.0 schema with no
 * errors; what OCSF has no attribute for is under {@code unmapped}. Process keys are 16-digit hex,
 * times milliseconds since the epoch. Thread-safe.
 *
 * <p>Versions ({@code unmapped.psfleet_alert_version}) only add or move fields in ways {@link
 * #read} still understands for every earlier version: 1 (no version field) had top-level {@code
 * process}, {@code actor} and {@code attacks}, {@code is_placeholder} inside the process chain and
 * {@code evidences[].event_ids}, which OCSF 1.3 does not allow there; 2 is valid OCSF; 3 adds
 * {@code unmapped.sigma.rule_set_version} to Sigma findings.
 */
public final class OcsfDetectionFinding {
  public static final String OCSF_VERSION = "1.3.0";

  /** The build's version: {@code metadata.product.version} of every finding. */
  public static final String PRODUCT_VERSION = io.psfleet.commandline.Commands.version();

  /** The version of the layout below; raise it with every change a consumer could notice. */
  public static final int ALERT_VERSION = 3;

  /** The MITRE ATT&CK release the technique ids and names come from. */
  static final String ATTACK_VERSION = "v16";

  /**
   * The smallest budget {@link #toJsonBytes(Alert, int)} is made for: a finding at the deepest
   * ancestry (64, for its process and its actor) with every text cut to 16 characters, each of them
   * a control character that JSON writes in six bytes, takes 78 KB.
   */
  public static final int MIN_BUDGET_BYTES = 128 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private OcsfDetectionFinding() {}

  /** The finding's JSON, whatever its size; see {@link #toJsonBytes(Alert, int)} for the sink. */
  public static byte[] toJsonBytes(Alert alert) {
    return bytes(toJson(alert));
  }

  /**
   * The finding's JSON in at most {@code maxBytes}, as a Kafka sink needs it: a record above the
   * producer's {@code max.request.size} fails the job, and its restart fails on the same alert
   * again. Texts a producer controls (message, command lines, paths, users) are cut, first to 4,096
   * characters each, then shorter, until the finding fits; a cut finding says so in {@code
   * unmapped.psfleet_truncated}. Everything else a finding holds is bounded already (ids, host
   * names, ancestry depth), so at the shortest cut it fits in {@link #MIN_BUDGET_BYTES}.
   */
  public static byte[] toJsonBytes(Alert alert, int maxBytes) {
    byte[] json = bytes(toJson(alert, Integer.MAX_VALUE));
    for (int cap = 4096; json.length > maxBytes && cap >= 16; cap /= 4) {
      ObjectNode cut = toJson(alert, cap);
      ((ObjectNode) cut.get("unmapped")).put("psfleet_truncated", true);
      json = bytes(cut);
    }
    return json;
  }

  private static byte[] bytes(ObjectNode finding) {
    try {
      return JSON.writeValueAsBytes(finding);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an OCSF tree always serializes", e);
    }
  }

  public static ObjectNode toJson(Alert alert) {
    return toJson(alert, Integer.MAX_VALUE);
  }

  /** The finding with every producer-controlled text cut to {@code cap} characters. */
  private static ObjectNode toJson(Alert alert, int cap) {
    Analytic rule = alert.analytic();
    ObjectNode f = JSON.createObjectNode();
    f.put("class_uid", 2004);
    f.put("class_name", "Detection Finding");
    f.put("category_uid", 2);
    f.put("category_name", "Findings");
    f.put("activity_id", 1);
    f.put("activity_name", "Create");
    f.put("type_uid", 200401);
    f.put("type_name", "Detection Finding: Create");
    f.put("time", alert.timeNanos() / 1_000_000L);
    f.put("severity_id", rule.severityId());
    f.put("severity", rule.severity());
    f.put("status_id", 1);
    f.put("status", "New");
    f.put("message", cut(alert.message(), cap));

    ObjectNode metadata = f.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    metadata.put("uid", alert.uid());
    // "device" belongs to OCSF's host profile; a finding may only carry it when it says so.
    metadata.putArray("profiles").add("host");
    ObjectNode product = metadata.putObject("product");
    product.put("name", "psfleet");
    product.put("vendor_name", "psfleet");
    product.put("version", PRODUCT_VERSION);

    ObjectNode info = f.putObject("finding_info");
    info.put("uid", alert.uid());
    info.put("title", rule.title());
    if (rule.tactic() != null) {
      info.putArray("types").add(rule.tactic());
    }
    ObjectNode analytic = info.putObject("analytic");
    analytic.put("uid", rule.id());
    analytic.put("name", rule.name());
    analytic.put("type_id", 1);
    analytic.put("type", "Rule");
    ArrayNode related = info.putArray("related_events");
    for (String id : alert.evidenceEventIds()) {
      related.addObject().put("uid", id);
    }
    ArrayNode attacks = JSON.createArrayNode();
    if (rule.technique() != null || rule.tacticId() != null) {
      attacks.add(attack(rule.technique(), rule.techniqueName(), rule));
    }
    for (String other : rule.otherTechniques()) {
      attacks.add(attack(other, null, rule));
    }
    if (!attacks.isEmpty()) {
      info.set("attacks", attacks);
    }

    ObjectNode device = f.putObject("device");
    device.put("uid", alert.hostId());
    device.put("hostname", alert.hostId());
    device.put("type_id", 0);
    device.put("type", "Unknown");
    ObjectNode os = device.putObject("os");
    os.put("name", "Windows");
    os.put("type_id", 100);
    os.put("type", "Windows");

    Set<String> placeholders = new LinkedHashSet<>();
    ObjectNode evidence = f.putArray("evidences").addObject();
    if (alert.process() != null) {
      evidence.set("process", process(alert.process(), placeholders, cap));
    }
    if (alert.actor() != null) {
      evidence.putObject("actor").set("process", process(alert.actor(), placeholders, cap));
    }
    if (alert.module() != null) {
      evidence.set("file", moduleFile(alert.module(), cap));
    }

    ObjectNode unmapped = f.putObject("unmapped");
    unmapped.put("psfleet_alert_version", ALERT_VERSION);
    if (alert.hosts() != null && alert.hosts().length > 0) {
      ArrayNode hosts = unmapped.putArray("hosts");
      for (String host : alert.hosts()) {
        hosts.add(host);
      }
    }
    if (!placeholders.isEmpty()) {
      ArrayNode uids = unmapped.putArray("placeholder_process_uids");
      placeholders.forEach(uids::add);
    }
    if (rule.isSigma()) {
      // OCSF 1.3 has no place for a rule's references and false-positive notes.
      ObjectNode sigma = unmapped.putObject("sigma");
      sigma.put("rule_id", rule.id());
      if (alert.ruleSetVersion() != Alert.NO_RULE_SET) {
        sigma.put("rule_set_version", alert.ruleSetVersion());
      }
      ArrayNode refs = sigma.putArray("references");
      for (String r : rule.references()) {
        refs.add(r);
      }
      ArrayNode fps = sigma.putArray("falsepositives");
      for (String fp : rule.falsePositives()) {
        fps.add(fp);
      }
    }
    if (alert.module() != null) {
      ModuleRef m = alert.module();
      ObjectNode module = unmapped.putObject("module");
      module.put("signed", m.signed());
      if (m.signer() != null) {
        module.put("signer", cut(m.signer(), cap));
      }
      if (m.fleetHosts() > 0) {
        module.put("fleet_hosts", m.fleetHosts());
      }
    }
    return f;
  }

  /**
   * ATT&CK as OCSF 1.3 has it: a sub-technique ("T1055.001") goes to {@code sub_technique}, with
   * its parent technique ("T1055") in {@code technique}.
   */
  private static ObjectNode attack(String id, String name, Analytic rule) {
    ObjectNode attack = JSON.createObjectNode();
    attack.put("version", ATTACK_VERSION);
    if (id != null) {
      int dot = id.indexOf('.');
      int colon = name == null ? -1 : name.indexOf(": ");
      ObjectNode technique = attack.putObject("technique");
      if (dot > 0) {
        technique.put("uid", id.substring(0, dot));
        if (colon > 0) {
          technique.put("name", name.substring(0, colon));
        }
        ObjectNode sub = attack.putObject("sub_technique");
        sub.put("uid", id);
        if (colon > 0) {
          sub.put("name", name.substring(colon + 2));
        }
      } else {
        technique.put("uid", id);
        if (name != null) {
          technique.put("name", name);
        }
      }
    }
    if (rule.tacticId() != null) {
      ObjectNode tactic = attack.putObject("tactic");
      tactic.put("uid", rule.tacticId());
      tactic.put("name", rule.tactic());
    }
    return attack;
  }

  private static ObjectNode process(ProcessRef p, Set<String> placeholders, int cap) {
    ObjectNode node = processNode(p.key(), p.processId(), p.image(), p.commandLine(), cap);
    if (p.user() != null) {
      node.putObject("user").put("name", cut(p.user(), cap));
    }
    Ancestor[] ancestry = p.ancestry() == null ? new Ancestor[0] : p.ancestry();
    if (ancestry.length > 0) {
      ArrayNode lineage = node.putArray("lineage");
      for (Ancestor a : ancestry) {
        lineage.add(a.image() == null ? "?" : cut(a.image(), cap));
      }
    }
    ObjectNode child = node;
    for (Ancestor a : ancestry) {
      ObjectNode parent = processNode(a.key(), a.processId(), a.image(), a.commandLine(), cap);
      child.set("parent_process", parent);
      if (a.placeholder()) {
        placeholders.add(processUid(a.key())); // started before the sensor, or not seen yet
      }
      child = parent;
    }
    return node;
  }

  private static ObjectNode processNode(
      long key, int pid, String image, String commandLine, int cap) {
    ObjectNode node = JSON.createObjectNode();
    node.put("pid", pid);
    node.put("uid", processUid(key));
    if (image != null) {
      node.put("name", cut(ImagePaths.fileName(image), cap));
      node.set("file", file(image, cap));
    }
    if (commandLine != null) {
      node.put("cmd_line", cut(commandLine, cap));
    }
    return node;
  }

  private static ObjectNode moduleFile(ModuleRef m, int cap) {
    ObjectNode file = file(m.path(), cap);
    if (m.sha256() != null) {
      ObjectNode hash = file.putArray("hashes").addObject();
      hash.put("algorithm_id", 3);
      hash.put("algorithm", "SHA-256");
      hash.put("value", m.sha256());
    }
    // OCSF has no "unsigned" state: an unsigned file has no signature (unmapped.module.signed
    // says so explicitly). The signer's name alone cannot make a certificate (issuer, serial
    // number and fingerprints are required), so it is under unmapped.module.signer.
    if (m.signed()) {
      ObjectNode signature = file.putObject("signature");
      signature.put("algorithm_id", 4);
      signature.put("algorithm", "Authenticode");
      signature.put("state_id", 1);
      signature.put("state", "Valid");
    }
    return file;
  }

  private static ObjectNode file(String path, int cap) {
    ObjectNode file = JSON.createObjectNode();
    file.put("name", cut(ImagePaths.fileName(path), cap));
    file.put("path", cut(path, cap));
    file.put("type_id", 1);
    file.put("type", "Regular File");
    return file;
  }

  /** {@code text} cut to {@code cap} characters, ending in an ellipsis when cut. */
  private static String cut(String text, int cap) {
    if (text == null || text.length() <= cap) {
      return text;
    }
    int keep = cap - 1;
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + "…";
  }

  static String processUid(long key) {
    return String.format("%016x", key);
  }

  /**
   * Reads a finding as any version of this class wrote it.
   *
   * @throws IOException when it is not JSON
   */
  public static ReadFinding read(byte[] json) throws IOException {
    return read(JSON.readTree(json));
  }

  public static ReadFinding read(JsonNode f) {
    JsonNode unmapped = f.path("unmapped");
    int version = unmapped.path("psfleet_alert_version").asInt(1);
    JsonNode evidence = f.path("evidences").path(0);
    // Version 1 also had them at the top level; the evidence has carried both since version 1.
    JsonNode process = firstPresent(evidence.path("process"), f.path("process"));
    JsonNode actor =
        firstPresent(evidence.path("actor").path("process"), f.path("actor").path("process"));

    List<String> ancestry = new ArrayList<>();
    Set<String> placeholders = new LinkedHashSet<>();
    unmapped.path("placeholder_process_uids").forEach(u -> placeholders.add(u.asText()));
    for (JsonNode root : List.of(process, actor)) {
      for (JsonNode p = root.path("parent_process");
          !p.isMissingNode();
          p = p.path("parent_process")) {
        if (root == process) {
          ancestry.add(p.path("uid").asText());
        }
        if (p.path("is_placeholder").asBoolean(false)) { // version 1
          placeholders.add(p.path("uid").asText());
        }
      }
    }

    String host = f.path("device").path("uid").asText();
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add(host);
    unmapped.path("hosts").forEach(h -> hosts.add(h.asText()));
    List<String> evidenceEventIds = new ArrayList<>();
    f.path("finding_info")
        .path("related_events")
        .forEach(e -> evidenceEventIds.add(e.path("uid").asText()));
    JsonNode attack = f.path("finding_info").path("attacks").path(0);
    String technique =
        attack.has("sub_technique")
            ? attack.path("sub_technique").path("uid").asText()
            : attack.path("technique").path("uid").asText();
    return new ReadFinding(
        version,
        f.path("finding_info").path("uid").asText(),
        f.path("finding_info").path("analytic").path("uid").asText(),
        f.path("finding_info").path("title").asText(),
        unmapped.has("sigma") ? Analytic.SIGMA : Analytic.BUILT_IN,
        technique.isEmpty() ? null : technique,
        host,
        List.copyOf(hosts),
        textOrNull(process.path("uid")),
        textOrNull(actor.path("uid")),
        List.copyOf(ancestry),
        Set.copyOf(placeholders),
        List.copyOf(evidenceEventIds),
        unmapped.path("sigma").path("rule_set_version").asLong(Alert.NO_RULE_SET));
  }

  private static JsonNode firstPresent(JsonNode a, JsonNode b) {
    return a.isObject() ? a : b;
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
