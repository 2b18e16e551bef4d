package io.psfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PsfleetAppTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PsfleetApp.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demoShowsInjectionAndAnIsolatedBugCheck() {
    assertThat(run("core-demo", "--hosts", "4", "--quiet")).isZero();

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("host-0002", "1 remote threads");
    assertThat(text).containsPattern("host-0003 .*HALTED: BugCheck 0xA IRQL_NOT_LESS_OR_EQUAL");
    assertThat(text)
        .containsPattern("host-0004 .*shut down cleanly .*0 zombies, 0 leaked references");
  }

  @Test
  void sameSeedPrintsTheSameRun() {
    run("core-demo", "--seed", "9");
    String first = out.toString(StandardCharsets.UTF_8);
    out.reset();
    run("core-demo", "--seed", "9");

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(first);
  }

  @Test
  void badValueIsNamedAndExitsWithTwo() {
    assertThat(run("core-demo", "--hosts", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--hosts must be between 1 and 100, got 0");
  }

  @Test
  void unknownOptionAndCommandAreRefused() {
    assertThat(run("core-demo", "--host", "3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option", "'--host'");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'frobnicate'");
  }

  @Test
  void helpListsCommandsAndEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("core-demo");
    out.reset();
    assertThat(run("core-demo", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--hosts=N", "--seed=N", "--quiet");
  }
}
