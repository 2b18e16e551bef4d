package io.psfleet.jobs.sigma;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.sigma.FieldTable;
import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.SigmaLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SysmonEventViewTest {
  /** A rule set that reads the fields below, so they get ids. */
  static final FieldTable FIELDS =
      fieldsOf(
          "Image",
          "CommandLine",
          "ParentImage",
          "ImageLoaded",
          "Signed",
          "StartFunction",
          "EventID",
          "NoSuchField");

  final TestEvents events = new TestEvents("host-000001");

  @Test
  void processCreateFieldsReadAsSysmonFieldsRendersThem() {
    EnrichedEvent create =
        events.create(1, SigmaAlerts.POWERSHELL, SigmaAlerts.WORD, chain(SigmaAlerts.WORD));
    SysmonFields sysmon = create.sysmonFields();
    SysmonEventView view = new SysmonEventView(FIELDS).reset(sysmon);

    assertThat(field(view, "EventID")).isEqualTo("1");
    assertThat(field(view, "Image")).isEqualTo(SigmaAlerts.POWERSHELL.image());
    assertThat(field(view, "CommandLine")).isEqualTo(SigmaAlerts.POWERSHELL.commandLine());
    assertThat(field(view, "ParentImage")).isEqualTo(sysmon.field("ParentImage"));
    assertThat(field(view, "ImageLoaded")).as("not a field of EventID 1").isNull();
    assertThat(field(view, "NoSuchField")).isNull();
  }

  @Test
  void imageLoadAndRemoteThreadHaveTheirEventIds() {
    SysmonEventView view = new SysmonEventView(FIELDS);
    EnrichedEvent load =
        events.load(2, SigmaAlerts.NOTEPAD, "C:\\Users\\a\\AppData\\Local\\Temp\\x.dll", null);
    view.reset(load.sysmonFields());
    assertThat(field(view, "EventID")).isEqualTo("7");
    assertThat(field(view, "ImageLoaded")).isEqualTo("C:\\Users\\a\\AppData\\Local\\Temp\\x.dll");
    assertThat(field(view, "Signed")).isEqualTo("false");

    EnrichedEvent thread =
        events.thread(3, SigmaAlerts.DROPPER, SigmaAlerts.NOTEPAD, KERNEL32, "LoadLibraryW");
    view.reset(thread.sysmonFields());
    assertThat(field(view, "EventID")).isEqualTo("8");
    assertThat(field(view, "StartFunction")).isEqualTo("LoadLibraryW");
    assertThat(field(view, "ImageLoaded")).isNull();
  }

  @Test
  void keywordValuesAreEveryFieldTheEventHasAndItsEventId() {
    EnrichedEvent create = events.create(1, SigmaAlerts.POWERSHELL, SigmaAlerts.WORD);
    SysmonFields sysmon = create.sysmonFields();
    SysmonEventView view = new SysmonEventView(FIELDS).reset(sysmon);

    List<String> expected = new ArrayList<>();
    for (String name : sysmon.fieldNames()) {
      if (sysmon.field(name) != null) {
        expected.add(sysmon.field(name));
      }
    }
    expected.add("1");
    List<String> values = new ArrayList<>();
    for (int i = 0; i < view.valueCount(); i++) {
      values.add(view.value(i));
    }
    assertThat(values).containsExactlyElementsOf(expected);
    assertThat(values).contains(SigmaAlerts.POWERSHELL.commandLine());

    // Reset: the next event's values, not the last one's.
    view.reset(events.exit(2, SigmaAlerts.POWERSHELL).sysmonFields());
    List<String> exit = new ArrayList<>();
    for (int i = 0; i < view.valueCount(); i++) {
      exit.add(view.value(i));
    }
    assertThat(exit).contains(SigmaAlerts.POWERSHELL.image()).endsWith("5");
    assertThat(exit).doesNotContain(SigmaAlerts.POWERSHELL.commandLine());
  }

  private static String field(SysmonEventView view, String name) {
    return view.field(FIELDS.id(name));
  }

  static FieldTable fieldsOf(String... names) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("title: fields\nid: 00000000-0000-4000-8000-00000000f001\n")
        .append("logsource:\n  category: process_creation\n  product: windows\n")
        .append("detection:\n  selection:\n");
    for (String name : names) {
      yaml.append("    ").append(name).append(": x\n");
    }
    yaml.append("  condition: selection\n");
    LoadResult result = SigmaLoader.loadText("fields.yml", yaml.toString());
    assertThat(result.report().rejected()).isEmpty();
    return result.ruleSet().fields();
  }
}
