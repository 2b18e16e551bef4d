package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.schema.sysmon.SysmonFields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Sysmon event 1 and 7 of SigmaHQ's regression data, where this machine has it ({@code
 * /work/shared/sigma/regression_data}, else skipped): psfleet's view names the same fields in the
 * same order and renders each through the same shape.
 */
class SysmonRegressionDataTest {
  private static final Path DATA = Path.of("/work/shared/sigma/regression_data");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.ALLOW_TRAILING_COMMA);

  @Test
  void everyRealEventRendersFieldByFieldAsSysmonDid() throws Exception {
    assumeTrue(Files.isDirectory(DATA), "SigmaHQ regression data not on this machine");
    int checked = 0;
    for (JsonNode event : events()) {
      JsonNode system = event.path("Event").path("System");
      int id = system.path("EventID").asInt();
      if (id != 1 && id != 7) {
        continue;
      }
      JsonNode data = event.path("Event").path("EventData");
      SysmonFields fields = SysmonFields.of(SysmonFieldsTest.fromSysmon(id, data));
      List<String> names = new ArrayList<>();
      data.fieldNames().forEachRemaining(names::add);

      assertThat(fields.fieldNames()).as("fields of event %d", id).containsExactlyElementsOf(names);
      for (String name : names) {
        String expected = data.get(name).asText();
        String actual = fields.field(name);
        if (name.endsWith("ProcessGuid") && !expected.startsWith("00000000")) {
          assertThat(actual).as(name).matches("\\{[0-9A-F-]{36}\\}");
        } else if (name.endsWith("Guid")) {
          assertThat(actual).as(name).isEqualTo("{" + expected + "}");
        } else {
          assertThat(actual).as("%s of %s", name, data.path("Image").asText()).isEqualTo(expected);
        }
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(100);
  }

  private static List<JsonNode> events() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DATA)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        try (MappingIterator<JsonNode> it =
            JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (it.hasNext()) {
            events.add(it.next());
          }
        }
      }
    }
    return events;
  }
}
