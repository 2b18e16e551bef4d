package io.psfleet.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LiteralAutomatonTest {
  private static final String ALPHABET = "ab\\.-\u00e9\u2013";

  @Test
  void reportsExactlyTheLiteralsThatOccurWhateverPartIsDense() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      Map<String, int[]> literals = new LinkedHashMap<>();
      int count = 1 + random.nextInt(30);
      for (int i = 0; i < count; i++) {
        literals.put(word(random, 1 + random.nextInt(6)), new int[] {i});
      }
      int maxDense =
          random.nextBoolean() ? LiteralAutomaton.MAX_DENSE_ENTRIES : 1 + random.nextInt(40);
      LiteralAutomaton a = LiteralAutomaton.build(literals, maxDense);
      for (int t = 0; t < 20; t++) {
        String text = word(random, random.nextInt(60));
        TreeSet<Integer> found = new TreeSet<>();
        a.scan(text.toCharArray(), text.length(), found::add);
        TreeSet<Integer> expected = new TreeSet<>();
        literals.forEach(
            (lit, ids) -> {
              if (text.contains(lit)) {
                expected.add(ids[0]);
              }
            });
        assertThat(found).as("text '%s' literals %s", text, literals.keySet()).isEqualTo(expected);
      }
    }
  }

  private static String word(Random random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
