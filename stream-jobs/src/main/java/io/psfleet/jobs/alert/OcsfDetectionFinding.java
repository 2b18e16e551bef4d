package io.psfleet.jobs.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.ImagePaths;

/**
 * Turns an {@link Alert} into an OCSF 1.3 Detection Finding (class_uid 2004), the alert feed's
 * documented, versioned format. Process keys are 16-digit hex, as in the README; times are
 * milliseconds since the epoch, as OCSF has them. Thread-safe.
 */
public final class OcsfDetectionFinding {
  public static final String OCSF_VERSION = "1.3.0";
  public static final String PRODUCT_VERSION = "0.1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OcsfDetectionFinding() {}

  public static byte[] toJsonBytes(Alert alert) {
    try {
      return JSON.writeValueAsBytes(toJson(alert));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an OCSF tree always serializes", e);
    }
  }

  public static ObjectNode toJson(Alert alert) {
    Rule rule = alert.rule();
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
    f.put("severity", rule.severityId() == 4 ? "High" : "Medium");
    f.put("status_id", 1);
    f.put("status", "New");
    f.put("message", alert.message());
    ObjectNode metadata = f.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    metadata.put("uid", alert.uid());
    ObjectNode product = metadata.putObject("product");
    product.put("name", "psfleet");
    product.put("vendor_name", "psfleet");
    product.put("version", PRODUCT_VERSION);

    ObjectNode info = f.putObject("finding_info");
    info.put("uid", alert.uid());
    info.put("title", rule.title());
    info.putArray("types").add(rule.tactic());
    ObjectNode analytic = info.putObject("analytic");
    analytic.put("uid", rule.id());
    analytic.put("name", rule.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    analytic.put("type_id", 1);
    analytic.put("type", "Rule");
    ArrayNode related = info.putArray("related_events");
    for (String id : alert.evidenceEventIds()) {
      related.addObject().put("uid", id);
    }
    ObjectNode attack = info.putArray("attacks").addObject();
    attack.put("version", "v16");
    ObjectNode technique = attack.putObject("technique");
    technique.put("uid", rule.technique());
    technique.put("name", rule.techniqueName());
    ObjectNode tactic = attack.putObject("tactic");
    tactic.put("uid", rule.tacticId());
    tactic.put("name", rule.tactic());
    // Also at the top level, where OCSF 1.3 readers that predate finding_info.attacks look.
    f.set("attacks", info.get("attacks").deepCopy());

    ObjectNode device = f.putObject("device");
    device.put("uid", alert.hostId());
    device.put("hostname", alert.hostId());
    device.put("type_id", 0);
    device.put("os", "Windows");
    if (alert.hosts() != null && alert.hosts().length > 0) {
      ArrayNode hosts = f.putObject("unmapped").putArray("hosts");
      for (String host : alert.hosts()) {
        hosts.add(host);
      }
    }
    if (alert.actor() != null) {
      f.putObject("actor").set("process", process(alert.actor()));
    }
    ObjectNode evidence = f.putArray("evidences").addObject();
    if (alert.process() != null) {
      f.set("process", process(alert.process()));
      evidence.set("process", process(alert.process()));
    }
    if (alert.actor() != null) {
      evidence.putObject("actor").set("process", process(alert.actor()));
    }
    if (alert.module() != null) {
      ModuleRef m = alert.module();
      ObjectNode file = evidence.putObject("file");
      file.put("path", m.path());
      file.put("name", ImagePaths.fileName(m.path()));
      file.put("type_id", 1);
      if (m.sha256() != null) {
        ObjectNode hash = file.putArray("hashes").addObject();
        hash.put("algorithm_id", 3);
        hash.put("algorithm", "SHA-256");
        hash.put("value", m.sha256());
      }
      ObjectNode signature = file.putObject("signature");
      signature.put("algorithm_id", 0);
      if (m.signer() != null) {
        signature.putObject("certificate").put("subject", m.signer());
      }
      signature.put("state_id", m.signed() ? 1 : 2);
      signature.put("state", m.signed() ? "Valid" : "Unsigned");
      if (m.fleetHosts() > 0) {
        evidence.putObject("data").put("fleet_hosts", m.fleetHosts());
      }
    }
    ArrayNode ids = evidence.putArray("event_ids");
    for (String id : alert.evidenceEventIds()) {
      ids.add(id);
    }
    return f;
  }

  private static ObjectNode process(ProcessRef p) {
    ObjectNode node = JSON.createObjectNode();
    node.put("pid", p.processId());
    node.put("uid", String.format("%016x", p.key()));
    if (p.image() != null) {
      node.put("name", ImagePaths.fileName(p.image()));
      ObjectNode file = node.putObject("file");
      file.put("path", p.image());
      file.put("name", ImagePaths.fileName(p.image()));
    }
    if (p.commandLine() != null) {
      node.put("cmd_line", p.commandLine());
    }
    if (p.user() != null) {
      node.putObject("user").put("name", p.user());
    }
    Ancestor[] ancestry = p.ancestry() == null ? new Ancestor[0] : p.ancestry();
    ArrayNode lineage = node.putArray("lineage");
    for (Ancestor a : ancestry) {
      lineage.add(a.image() == null ? "?" : a.image());
    }
    ObjectNode child = node;
    for (Ancestor a : ancestry) {
      ObjectNode parent = child.putObject("parent_process");
      parent.put("pid", a.processId());
      parent.put("uid", String.format("%016x", a.key()));
      if (a.image() != null) {
        parent.put("name", ImagePaths.fileName(a.image()));
        parent.putObject("file").put("path", a.image());
      }
      if (a.commandLine() != null) {
        parent.put("cmd_line", a.commandLine());
      }
      if (a.placeholder()) {
        parent.put("is_placeholder", true); // started before the sensor, or not seen yet
      }
      child = parent;
    }
    return node;
  }
}
