package io.psfleet.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.jobs.sigma.SigmaRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  private static JobConfig parse(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap";
    all[1] = "127.0.0.1:9092";
    System.arraycopy(args, 0, all, 2, args.length);
    return JobConfig.fromArgs(all);
  }

  @Test
  void aJobWithoutStateStartsAtTheEarliestRecordByDefault() {
    JobConfig config = parse();

    assertThat(config.startFrom().kind()).isEqualTo(StartFrom.Kind.EARLIEST);
  }

  @Test
  void startFromAnInstantNamesThatInstant() {
    JobConfig config = parse("--start-from", "2026-11-24T08:00:00Z");

    assertThat(config.startFrom())
        .isEqualTo(new StartFrom(StartFrom.Kind.INSTANT, Instant.parse("2026-11-24T08:00:00Z")));
    assertThat(parse("--start-from", "LATEST").startFrom().kind()).isEqualTo(StartFrom.Kind.LATEST);
  }

  @Test
  void aMisspeltStartIsRefusedWithTheAcceptedForms() {
    assertThatThrownBy(() -> parse("--start-from", "lates"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--start-from must be earliest, latest or an instant")
        .hasMessageContaining("'lates'");
  }

  @Test
  void aTransactionTimeoutAboveTheBrokersLimitIsRefused() {
    assertThatThrownBy(() -> parse("--transaction-timeout", "20m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15m");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThatThrownBy(() -> parse("--paralelism", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paralelism");
  }

  @Test
  void rulesAreThePackThenEveryPathGivenAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.yml"), "title: a");
    Path folder = Files.createDirectories(dir.resolve("more"));
    Files.writeString(folder.resolve("b.yml"), "title: b");

    JobConfig config = parse("--rules", a.toString(), "--rules", folder.toString());

    int pack = SigmaRules.defaultPack().files().size();
    assertThat(pack).isEqualTo(6);
    assertThat(config.sigmaRules().files()).hasSize(pack + 2);
    assertThat(config.sigmaRules().files().get(0).source()).startsWith(SigmaRules.PACK_SOURCE);
    assertThat(parse().sigmaRules()).isEqualTo(SigmaRules.defaultPack());
    assertThat(parse("--no-default-rules").sigmaRules().isEmpty()).isTrue();
    assertThat(parse("--no-default-rules", "--rules", a.toString()).sigmaRules().files())
        .extracting(f -> f.source())
        .containsExactly(a.toString());
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> parse("--rules", missing.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void hostileInputBoundsHaveDefaultsAndRefuseValuesThatCannotHoldWithTheOptionNamed() {
    assertThat(parse().inputBounds()).isEqualTo(io.psfleet.jobs.io.InputBounds.defaults());
    assertThat(parse("--max-record-bytes", "500000").inputBounds().maxRecordBytes())
        .isEqualTo(500_000);
    assertThatThrownBy(() -> parse("--max-record-bytes", "2000000"))
        .hasMessageContaining("--max-record-bytes")
        .hasMessageContaining("2000000");
    assertThatThrownBy(() -> parse("--max-sequence-jump", "0"))
        .hasMessageContaining("--max-sequence-jump");
    assertThatThrownBy(() -> parse("--max-processes-per-host", "5"))
        .hasMessageContaining("--max-processes-per-host");
    assertThat(parse("--max-event-time-ahead", "10m").inputBounds().maxEventTimeAhead())
        .isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(parse("--host-idle", "3d").inputBounds().hostIdle())
        .isEqualTo(java.time.Duration.ofDays(3));
    assertThatThrownBy(() -> parse("--host-idle", "30m"))
        .hasMessageContaining("--host-idle")
        .hasMessageContaining("30m");
  }
}
