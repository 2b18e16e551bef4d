package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.kafka.TopicReader;
import io.psfleet.ocsf.Issue;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks that every alert on a topic is valid OCSF 1.3.0: an error fails the test, naming the
 * finding; warnings (recommended attributes psfleet does not know) are only printed.
 */
final class OcsfFeedCheck {
  private static final OcsfValidator VALIDATOR = OcsfValidator.bundled();

  private OcsfFeedCheck() {}

  /** Validates every record of {@code topic}; returns how many there are. */
  static int assertEveryAlertIsValidOcsf(String bootstrap, String topic) {
    return assertValid(topic, TopicReader.readAll(bootstrap, topic));
  }

  static int assertValid(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> errors = new ArrayList<>();
    Map<String, Integer> warnings = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      ValidationResult result = VALIDATOR.validate(record.value());
      for (Issue error : result.errors()) {
        errors.add(
            topic
                + "-"
                + record.partition()
                + "@"
                + record.offset()
                + " ("
                + (record.key() == null
                    ? "no key"
                    : new String(record.key(), StandardCharsets.UTF_8))
                + "): "
                + error);
      }
      for (Issue warning : result.warnings()) {
        // One entry per attribute, whichever evidence or array element it is missing from.
        warnings.merge(warning.toString().replaceAll("\\[\\d+]", "[]"), 1, Integer::sum);
      }
    }
    System.out.printf(
        "OCSF 1.3.0 check of %s: %d alerts, %d errors; warnings (not failures):%n",
        topic, records.size(), errors.size());
    warnings.forEach((w, n) -> System.out.printf("  %5d x %s%n", n, w));
    assertThat(errors).as("OCSF 1.3.0 errors in the alerts on %s", topic).isEmpty();
    return records.size();
  }
}
