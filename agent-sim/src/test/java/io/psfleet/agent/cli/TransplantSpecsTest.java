package io.psfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.agent.replay.RootParent;
import io.psfleet.agent.replay.SysmonJsonFixture;
import io.psfleet.agent.replay.Transplant;
import io.psfleet.commandline.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransplantSpecsTest {
  @TempDir Path dir;
  private String file;

  @BeforeEach
  void recording() throws IOException {
    file = SysmonJsonFixture.attack(dir.resolve("attack.json")).toString();
  }

  private Transplant parse(String spec) {
    return new TransplantSpecs().parse(List.of(spec)).get(0);
  }

  @Test
  void aFileAloneIsOneHostAtASeededTimeUnderExplorer() {
    Transplant t = parse(file);

    assertThat(t.hostCount()).isEqualTo(1);
    assertThat(t.hosts()).isNull();
    assertThat(t.schedule()).isEqualTo(Transplant.Schedule.RANDOM);
    assertThat(t.roots()).isEqualTo(RootParent.ADOPT);
    assertThat(t.groundTruthTechnique()).isEqualTo("untagged");
  }

  @Test
  void everyKeyIsRead() {
    Transplant t = parse(file + ":hosts=1-50,77:every=10m:technique=t1059.001:parent=recorded");

    assertThat(t.hosts().test(0)).isTrue();
    assertThat(t.hosts().test(76)).isTrue();
    assertThat(t.hosts().test(50)).isFalse();
    assertThat(t.schedule().every()).isEqualTo(Duration.ofMinutes(10));
    assertThat(t.groundTruthTechnique()).isEqualTo("T1059.001");
    assertThat(t.roots()).isEqualTo(RootParent.RECORDED);
  }

  @Test
  void atTakesADurationOrAnInstantWithItsColons() {
    assertThat(parse(file + ":hosts=5:at=90s").schedule().at()).isEqualTo(Duration.ofSeconds(90));
    assertThat(parse(file + ":at=2026-11-24T08:05:00Z").schedule().atInstant())
        .isEqualTo(Instant.parse("2026-11-24T08:05:00Z"));
  }

  @Test
  void oneFileNamedTwiceIsReadOnce() {
    List<Transplant> both =
        new TransplantSpecs().parse(List.of(file + ":hosts=2", file + ":at=1m"));

    assertThat(both.get(0).recording()).isSameAs(both.get(1).recording());
  }

  @Test
  void mistakesNameTheOptionTheSpecAndTheProblem() {
    assertThatThrownBy(() -> parse(file + ":hosts=0"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--replay '" + file + ":hosts=0'")
        .hasMessageContaining("hosts=0");
    assertThatThrownBy(() -> parse(file + ":at=1m:every=2m"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> parse(file + ":every=soon"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("every=soon");
    assertThatThrownBy(() -> parse(file + ":technique=lateral"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("technique=lateral");
    assertThatThrownBy(() -> parse(file + ":parent=init"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("explorer or recorded");
    assertThatThrownBy(() -> parse(dir.resolve("missing.evtx").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no such file");
  }
}
