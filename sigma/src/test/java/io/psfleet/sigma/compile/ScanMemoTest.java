package io.psfleet.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanMemoTest {
  private static final LiteralAutomaton AUTOMATON =
      LiteralAutomaton.build(
          Map.of("\\system32\\", new int[] {4, 9}, "rundll32", new int[] {9}, "32", new int[] {1}));

  private static int[] scan(ScanMemo memo, String value) {
    char[] lower = value.toLowerCase(Locale.ROOT).toCharArray();
    return memo.scan(AUTOMATON, value, lower, lower.length);
  }

  @Test
  void remembersTheDistinctHitsOfAScannedValue() {
    ScanMemo memo = new ScanMemo(64);
    String value = "C:\\Windows\\System32\\rundll32.exe";
    assertThat(memo.remembered(value)).isNull();
    int[] hits = scan(memo, value);
    assertThat(hits).containsExactlyInAnyOrder(1, 4, 9);
    assertThat(memo.remembered(new String(value))).isEqualTo(hits);
  }

  @Test
  void keepsTheCaseOfItsKeysSoAnotherSpellingIsScannedAgain() {
    ScanMemo memo = new ScanMemo(64);
    scan(memo, "C:\\Windows\\System32\\x.dll");
    assertThat(memo.remembered("c:\\windows\\system32\\x.dll")).isNull();
  }

  @Test
  void aValueWithoutLiteralsIsRememberedAsNoHits() {
    ScanMemo memo = new ScanMemo(64);
    assertThat(scan(memo, "notepad.exe")).isEmpty();
    assertThat(memo.remembered("notepad.exe")).isEmpty();
  }

  @Test
  void aCollidingValueReplacesTheOlderOne() {
    ScanMemo memo = new ScanMemo(1);
    scan(memo, "C:\\Windows\\System32\\a.dll");
    scan(memo, "D:\\32");
    assertThat(memo.remembered("C:\\Windows\\System32\\a.dll")).isNull();
    assertThat(memo.remembered("D:\\32")).containsExactly(1);
  }

  @Test
  void doesNotKeepValuesLongerThanItsBound() {
    ScanMemo memo = new ScanMemo(64);
    String huge = "rundll32 " + "x".repeat(ScanMemo.MAX_KEY_LENGTH);
    assertThat(scan(memo, huge)).containsExactly(1, 9);
    assertThat(memo.remembered(huge)).isNull();
  }
}
