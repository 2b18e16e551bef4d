package io.psfleet.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long value list folded into tries matches exactly the values its tests match one by one (globs
 * here are in the compiler's encoding: {@link Glob#STAR} for an unescaped {@code *}).
 */
class ValueListTest {
  private static final String ALPHABET = "ab\\.\u00e9";
  private static final String STAR = String.valueOf(Glob.STAR);

  @Test
  void foldedListsMatchWhatTheirTestsMatchOneByOne() {
    Random random = new Random(11);
    int foldedRounds = 0;
    for (int round = 0; round < 300; round++) {
      List<ValueTest> tests = new ArrayList<>();
      int count = 1 + random.nextInt(12);
      for (int i = 0; i < count; i++) {
        String word = word(random, random.nextInt(5));
        String glob =
            switch (random.nextInt(5)) {
              case 0 -> word;
              case 1 -> word + STAR;
              case 2 -> STAR + word;
              case 3 -> STAR + word + STAR;
              default -> word + STAR + word(random, 2);
            };
        tests.add(ValueTest.glob(glob));
      }
      ValueTest[] one = tests.toArray(new ValueTest[0]);
      ValueTest[] folded = ValueTest.anyOf(one);
      if (folded.length < one.length) {
        foldedRounds++;
      }
      for (int t = 0; t < 40; t++) {
        String value = random.nextInt(20) == 0 ? null : word(random, random.nextInt(8));
        char[] lower = value == null ? null : value.toCharArray();
        int len = value == null ? -1 : value.length();
        assertThat(any(folded, value, lower, len))
            .as("value '%s' with %d tests, %d after folding", value, one.length, folded.length)
            .isEqualTo(any(one, value, lower, len));
      }
    }
    assertThat(foldedRounds).as("rounds whose list was folded").isGreaterThan(30);
  }

  @Test
  void testsThatFoldTheCharsTheyCompareAnswerAsTheyDoOnTheLowerCasedCopy() {
    Random random = new Random(13);
    String mixed = "aAbB\\.\u00e9\u00c9\u0130";
    int folding = 0;
    for (int round = 0; round < 300; round++) {
      List<ValueTest> tests = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(8); i++) {
        String word = word(random, random.nextInt(5), mixed);
        tests.add(
            ValueTest.glob(
                switch (random.nextInt(3)) {
                  case 0 -> word;
                  case 1 -> word + STAR;
                  default -> STAR + word;
                }));
      }
      for (ValueTest t : ValueTest.anyOf(tests.toArray(new ValueTest[0]))) {
        assertThat(t.folds()).as("%s folds", t.getClass().getSimpleName()).isTrue();
        folding++;
        for (int v = 0; v < 20; v++) {
          String value = random.nextInt(20) == 0 ? null : word(random, random.nextInt(8), mixed);
          int len = value == null ? -1 : value.length();
          char[] lower = value == null ? null : CaseFold.lowerInto(value, len, null);
          assertThat(t.testFolded(value))
              .as("%s on '%s'", t.getClass().getSimpleName(), value)
              .isEqualTo(t.test(value, lower, len, null));
        }
      }
    }
    assertThat(folding).isGreaterThan(300);
  }

  @Test
  void onlyListsOfAtLeastTrieMinLiteralsOfAKindAreFolded() {
    ValueTest[] few = {
      ValueTest.glob(STAR + "\\a.dll"), ValueTest.glob(STAR + "\\b.dll"), ValueTest.glob("x")
    };
    assertThat(ValueTest.anyOf(few)).isSameAs(few);

    ValueTest[] many = new ValueTest[ValueTest.TRIE_MIN + 1];
    for (int i = 0; i < ValueTest.TRIE_MIN; i++) {
      many[i] = ValueTest.glob(STAR + "\\lib" + i + ".dll");
    }
    many[ValueTest.TRIE_MIN] = ValueTest.glob("c:\\windows\\" + STAR);
    assertThat(ValueTest.anyOf(many)).hasSize(2).hasAtLeastOneElementOfType(ValueTest.Trie.class);
  }

  private static boolean any(ValueTest[] tests, String raw, char[] lower, int len) {
    for (ValueTest t : tests) {
      if (t.test(raw, lower, len, null)) {
        return true;
      }
    }
    return false;
  }

  private static String word(Random random, int length) {
    return word(random, length, ALPHABET);
  }

  private static String word(Random random, int length, String alphabet) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
