package io.psfleet.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaRuleText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The two small contracts of rules that change while the job runs, written and read here only:
 *
 * <ul>
 *   <li>the rules topic ({@code psfleet.rules}, compacted): key {@value #RULE_SET_KEY}, value gzip
 *       of {@code {"format": 1, "pushed_at": ISO-8601, "files": [{"source": PATH, "yaml": TEXT},
 *       ...]}} (plain JSON reads too); the version of a set is its record's offset + 1. Gzip
 *       because producers check a record's size before compressing it: SigmaHQ's rules are a few MB
 *       of YAML, above Kafka's 1 MB default, and a tenth of it gzipped;
 *   <li>the acknowledgements topic ({@code psfleet.rules.acks}): key the version, value {@code
 *       {"version", "job", "subtask", "subtasks", "rules", "correlations", "rejected": [...],
 *       "refused"}} ({@link RuleSetAck}).
 * </ul>
 */
public final class RulesTopic {
  /** The one key of the rules topic: compaction keeps the latest set. */
  public static final String RULE_SET_KEY = "rule-set";

  /** The layout of a rule-set record; raised when it changes, read for every earlier value. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private RulesTopic() {}

  public static byte[] key() {
    return RULE_SET_KEY.getBytes(StandardCharsets.UTF_8);
  }

  /** The rules topic's value for these rule files. */
  /** A gzipped value may not unpack to more than this: a rule set, not a zip bomb. */
  public static final int MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

  public static byte[] encode(List<SigmaRuleText> files, Instant pushedAt) {
    ObjectNode value = JSON.createObjectNode();
    value.put("format", FORMAT);
    value.put("pushed_at", pushedAt.toString());
    ArrayNode array = value.putArray("files");
    for (SigmaRuleText f : files) {
      array.addObject().put("source", f.source()).put("yaml", f.yaml());
    }
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
      gzip.write(bytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory failed", e);
    }
    return packed.toByteArray();
  }

  private static byte[] unpack(byte[] value) throws IOException {
    if (value.length < 2 || (value[0] & 0xff) != 0x1f || (value[1] & 0xff) != 0x8b) {
      return value;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(value))) {
      byte[] unpacked = in.readNBytes(MAX_UNPACKED_BYTES + 1);
      if (unpacked.length > MAX_UNPACKED_BYTES) {
        throw new IOException("unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
      }
      return unpacked;
    }
  }

  /**
   * The rule set of a rules topic record at {@code offset}; a value that holds none becomes a
   * {@linkplain RuleSetVersion#unreadable refused version} saying why, never an exception: the job
   * answers it and runs on.
   */
  public static RuleSetVersion decode(long offset, byte[] value) {
    long version = offset + 1;
    if (value == null) {
      return RuleSetVersion.unreadable(version, "the record has no value (a tombstone)");
    }
    try {
      value = unpack(value);
    } catch (IOException e) {
      return RuleSetVersion.unreadable(version, "bad gzip: " + e.getMessage());
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(value);
    } catch (IOException e) {
      return RuleSetVersion.unreadable(
          version,
          "not JSON: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (tree == null || !tree.path("files").isArray()) {
      return RuleSetVersion.unreadable(version, "not a rule set: no \"files\" array");
    }
    if (tree.path("format").asInt(0) > FORMAT) {
      return RuleSetVersion.unreadable(
          version,
          "rule set format "
              + tree.path("format").asInt()
              + " is newer than this job reads ("
              + FORMAT
              + "): upgrade the job");
    }
    List<SigmaRuleText> files = new ArrayList<>();
    for (JsonNode f : tree.path("files")) {
      if (!f.path("source").isTextual() || !f.path("yaml").isTextual()) {
        return RuleSetVersion.unreadable(
            version, "not a rule set: a file without a \"source\" and a \"yaml\" text");
      }
      files.add(new SigmaRuleText(f.path("source").asText(), f.path("yaml").asText()));
    }
    return new RuleSetVersion(version, files.toArray(SigmaRuleText[]::new), null);
  }

  public static byte[] encodeAck(RuleSetAck ack) {
    ObjectNode value = JSON.createObjectNode();
    value.put("version", ack.version());
    value.put("job", ack.job());
    value.put("subtask", ack.subtask());
    value.put("subtasks", ack.subtasks());
    value.put("rules", ack.rulesCompiled());
    value.put("correlations", ack.correlations());
    ArrayNode rejected = value.putArray("rejected");
    for (String r : ack.rejected()) {
      rejected.add(r);
    }
    if (ack.refused() != null) {
      value.put("refused", ack.refused());
    }
    return bytes(value);
  }

  /**
   * An acknowledgement as {@link #encodeAck} wrote it.
   *
   * @throws IOException when the value is not one
   */
  public static RuleSetAck decodeAck(byte[] value) throws IOException {
    JsonNode tree = value == null ? null : JSON.readTree(value);
    if (tree == null || !tree.path("version").canConvertToLong() || !tree.has("job")) {
      throw new IOException("not a rule set acknowledgement");
    }
    List<String> rejected = new ArrayList<>();
    tree.path("rejected").forEach(r -> rejected.add(r.asText()));
    return new RuleSetAck(
        tree.path("version").asLong(),
        tree.path("job").asText(),
        tree.path("subtask").asInt(),
        tree.path("subtasks").asInt(1),
        tree.path("rules").asInt(),
        tree.path("correlations").asInt(),
        rejected.toArray(String[]::new),
        tree.path("refused").isTextual() ? tree.path("refused").asText() : null);
  }

  private static byte[] bytes(JsonNode value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }
}
