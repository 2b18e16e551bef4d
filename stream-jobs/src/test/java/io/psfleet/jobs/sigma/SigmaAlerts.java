package io.psfleet.jobs.sigma;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.Ancestor;
import java.util.ArrayList;
import java.util.List;

/**
 * Alerts of Sigma rules, raised by {@link SigmaDetector} from test events: a process creation with
 * its ancestry (a sub-technique, references, false positives), an image load (two techniques,
 * critical), a remote thread (no ATT&CK tags, no level) and a keyword search.
 */
public final class SigmaAlerts {
  public static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  public static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  public static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  public static final Proc POWERSHELL =
      new Proc(
          41,
          5004,
          SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe",
          "powershell.exe -nop -w hidden -enc SQBFAFgA");
  public static final Proc DROPPER =
      proc(51, 5100, "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe");

  public static final String ENCODED = "1c1d6a6e-0000-4000-8000-000000000001";
  public static final String TEMP_DLL = "1c1d6a6e-0000-4000-8000-000000000002";
  public static final String THREAD = "1c1d6a6e-0000-4000-8000-000000000003";
  public static final String KEYWORD = "1c1d6a6e-0000-4000-8000-000000000004";

  public static final String RULES =
      """
      title: Encoded PowerShell from an Office document
      id: %s
      level: high
      tags:
        - attack.execution
        - attack.t1059.001
      references:
        - https://attack.mitre.org/techniques/T1059/001/
      falsepositives:
        - Administrative scripts
      logsource:
        category: process_creation
        product: windows
      detection:
        selection:
          Image|endswith: '\\powershell.exe'
          CommandLine|contains: ' -enc '
        condition: selection
      ---
      title: DLL loaded from Temp
      id: %s
      level: critical
      tags:
        - attack.persistence
        - attack.t1574.002
        - attack.t1055
      logsource:
        category: image_load
        product: windows
      detection:
        selection:
          ImageLoaded|contains: '\\AppData\\Local\\Temp\\'
        condition: selection
      ---
      title: Remote thread at LoadLibrary
      id: %s
      logsource:
        category: create_remote_thread
        product: windows
      detection:
        selection:
          StartFunction: LoadLibraryW
        condition: selection
      ---
      title: Invoice keyword
      id: %s
      level: low
      logsource:
        category: process_creation
        product: windows
      detection:
        keywords:
          - 'invoice_2026'
        condition: keywords
      """
          .formatted(ENCODED, TEMP_DLL, THREAD, KEYWORD);

  private SigmaAlerts() {}

  public static SigmaRules rules() {
    return SigmaRules.of(List.of(new SigmaRuleText("fixtures.yml", RULES)));
  }

  /** One alert of each rule above. */
  public static List<Alert> oneOfEach() {
    SigmaDetector detector = new SigmaDetector(rules());
    if (!detector.report().rejected().isEmpty() || detector.rulesCompiled() != 4) {
      throw new IllegalStateException(detector.report().format());
    }
    TestEvents events = new TestEvents("host-000001");
    Ancestor unseen = new Ancestor(0x9, 4, null, null, true);
    List<Alert> out = new ArrayList<>();
    detector.evaluate(events.create(30, POWERSHELL, WORD, chain(WORD, EXPLORER)), out::add);
    detector.evaluate(
        events.load(
            40,
            NOTEPAD,
            "C:\\Users\\alice\\AppData\\Local\\Temp\\msvcupd64.dll",
            null,
            EXPLORER.ancestor(),
            unseen),
        out::add);
    detector.evaluate(
        TestEvents.withAncestries(
            events.thread(50, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"),
            new Ancestor[] {EXPLORER.ancestor(), unseen},
            chain(EXPLORER)),
        out::add);
    detector.evaluate(events.create(60, DROPPER, EXPLORER, chain(EXPLORER)), out::add);
    if (out.size() != 4) {
      throw new IllegalStateException("the fixtures no longer raise each rule once: " + out);
    }
    return out;
  }
}
