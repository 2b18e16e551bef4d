package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictMemoTest {
  /** Looks {@code values} up; where missed, remembers {@code verdict}. Returns what was found. */
  private static int[] judge(VerdictMemo memo, int[] verdict, String... values) {
    System.arraycopy(values, 0, memo.current, 0, values.length);
    int[] found = memo.find();
    if (found == null) {
      memo.remember(verdict, verdict.length);
    }
    return found;
  }

  @Test
  void aVerdictIsFoundOnlyWhereEveryKeyFieldIsEqual() {
    VerdictMemo memo = new VerdictMemo(new int[] {0, 1, 2}, new int[0], 64);
    assertThat(judge(memo, new int[] {3, 7}, "a.dll", "x.exe", "signed")).isNull();
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", "unsigned")).isNull();
    // Equal values in other instances are found; the third (not hashed) field tells them apart.
    assertThat(judge(memo, new int[] {9}, new String("a.dll"), "x.exe", "signed"))
        .containsExactly(3, 7);
    assertThat(judge(memo, new int[] {9}, "a.dll", "x.exe", new String("unsigned"))).isEmpty();
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", null)).isNull();
    assertThat(judge(memo, new int[] {1}, "a.dll", null, null)).isNull();
    assertThat(judge(memo, new int[] {}, "a.dll", null, null)).containsExactly(1);
  }

  @Test
  void aSetKeepsItsTwoMostRecentKeys() {
    VerdictMemo memo = new VerdictMemo(new int[] {0, 1, 2}, new int[0], 64);
    // Values of one length and one tail hash alike: one set. The first two fit; a third evicts the
    // less recent.
    judge(memo, new int[] {1}, "a.dll", "x.exe", "one-code-signer-of-the-module");
    judge(memo, new int[] {2}, "a.dll", "x.exe", "two-code-signer-of-the-module");
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", "one-code-signer-of-the-module"))
        .containsExactly(1);
    assertThat(judge(memo, new int[] {3}, "a.dll", "x.exe", "six-code-signer-of-the-module"))
        .isNull();
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", "one-code-signer-of-the-module"))
        .containsExactly(1);
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", "six-code-signer-of-the-module"))
        .containsExactly(3);
    assertThat(judge(memo, new int[] {}, "a.dll", "x.exe", "two-code-signer-of-the-module"))
        .isNull();
  }

  @Test
  void everyImageThatLoadsOneModuleKeepsItsOwnEntry() {
    VerdictMemo memo = new VerdictMemo(new int[] {0, 1, 2}, new int[0], 4096);
    int images = 200;
    for (int i = 0; i < images; i++) {
      judge(memo, new int[] {i}, "true", "C:\\Windows\\System32\\ntdll.dll", "image" + i + ".exe");
    }
    int missed = 0;
    for (int i = 0; i < images; i++) {
      int[] found =
          judge(
              memo,
              new int[] {i},
              "true",
              "C:\\Windows\\System32\\ntdll.dll",
              "image" + i + ".exe");
      if (found == null) {
        missed++;
      } else {
        assertThat(found).containsExactly(i);
      }
    }
    // Hashing only the first two fields put all 200 into one set of two.
    assertThat(missed).isLessThanOrEqualTo(2);
  }

  @Test
  void aWindowOfFewHitsPausesTheMemoThenItTriesAgain() {
    VerdictMemo memo = new VerdictMemo(new int[] {0}, new int[0], 64);
    for (int i = 0; i < VerdictMemo.WINDOW; i++) {
      assertThat(memo.active()).isTrue();
      judge(memo, new int[] {}, "command line " + i);
    }
    for (int i = 0; i < VerdictMemo.PAUSE_EVENTS; i++) {
      assertThat(memo.active()).as("event %d of the pause", i).isFalse();
    }
    assertThat(memo.active()).isTrue();
    assertThat(memo.lookups()).isEqualTo(VerdictMemo.WINDOW);
    assertThat(memo.hits()).isZero();
  }

  @Test
  void aWindowOfManyHitsKeepsTheMemoOn() {
    VerdictMemo memo = new VerdictMemo(new int[] {0}, new int[0], 64);
    for (int i = 0; i < 3 * VerdictMemo.WINDOW; i++) {
      assertThat(memo.active()).as("event %d", i).isTrue();
      judge(memo, new int[] {}, "module " + (i % 8));
    }
    assertThat(memo.hits()).isEqualTo(3L * VerdictMemo.WINDOW - 8);
  }
}
