package io.psfleet.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
  private final InMemoryProcessStore store = new InMemoryProcessStore();
  private final List<long[]> cleanups = new ArrayList<>();
  private final ProcessTable table = new ProcessTable(store, 8, Duration.ofMinutes(10), 10_000);
  private final LineageEvents events = new LineageEvents();

  private EnrichedEvent apply(io.psfleet.jobs.event.Telemetry e) throws Exception {
    return table.apply(e, (at, key) -> cleanups.add(new long[] {at, key}));
  }

  @Test
  void eventsCarryTheirAncestryNearestFirst() throws Exception {
    apply(events.create(1, 100, 400, "C:\\Windows\\explorer.exe", 0, 0, null));
    apply(
        events.create(
            2, 200, 800, "C:\\Office\\WINWORD.EXE", 100, 400, "C:\\Windows\\explorer.exe"));
    apply(
        events.create(
            3, 300, 1200, "C:\\Windows\\System32\\cmd.exe", 200, 800, "C:\\Office\\WINWORD.EXE"));

    EnrichedEvent load =
        apply(events.load(4, 300, 1200, "C:\\Windows\\System32\\cmd.exe", "C:\\x.dll", false));

    assertThat(load.ancestry()).extracting(Ancestor::key).containsExactly(200L, 100L);
    assertThat(load.ancestry()[0].image()).endsWith("WINWORD.EXE");
    assertThat(load.ancestry()).noneMatch(Ancestor::placeholder);
  }

  @Test
  void pidReuseNeverMixesTwoProcesses() throws Exception {
    apply(events.create(1, 100, 400, "C:\\a.exe", 0, 0, null));
    apply(events.create(2, 200, 800, "C:\\child-of-a.exe", 100, 400, "C:\\a.exe"));
    apply(events.exit(3, 100, 400, "C:\\a.exe"));
    apply(events.create(4, 101, 400, "C:\\b.exe", 0, 0, null)); // same pid 400, new key
    EnrichedEvent laterChild =
        apply(events.create(5, 300, 900, "C:\\child-of-b.exe", 101, 400, "C:\\b.exe"));

    EnrichedEvent earlyChild =
        apply(events.load(6, 200, 800, "C:\\child-of-a.exe", "C:\\y.dll", true));

    assertThat(laterChild.ancestry()[0].image()).isEqualTo("C:\\b.exe");
    assertThat(earlyChild.ancestry()[0].image()).isEqualTo("C:\\a.exe");
  }

  @Test
  void unknownParentBecomesAPlaceholderThatItsLateCreateCompletes() throws Exception {
    EnrichedEvent child =
        apply(events.create(1, 300, 1200, "C:\\cmd.exe", 200, 800, "C:\\WINWORD.EXE"));
    assertThat(child.ancestry()).hasSize(1);
    assertThat(child.ancestry()[0].placeholder()).isTrue();
    assertThat(child.ancestry()[0].image()).isEqualTo("C:\\WINWORD.EXE");

    apply(events.create(0, 100, 400, "C:\\explorer.exe", 0, 0, null));
    apply(events.create(0, 200, 800, "C:\\WINWORD.EXE", 100, 400, "C:\\explorer.exe"));
    EnrichedEvent later = apply(events.load(2, 300, 1200, "C:\\cmd.exe", "C:\\z.dll", true));

    assertThat(later.ancestry()).extracting(Ancestor::key).containsExactly(200L, 100L);
    assertThat(later.ancestry()).noneMatch(Ancestor::placeholder);
  }

  @Test
  void blockedProcessIsEnrichedButNeverJoinsTheTable() throws Exception {
    apply(events.create(1, 100, 400, "C:\\explorer.exe", 0, 0, null));
    var blocked = events.create(2, 200, 800, "C:\\evil.exe", 100, 400, "C:\\explorer.exe");
    blocked =
        new io.psfleet.jobs.event.Telemetry(
            blocked.hostId(),
            blocked.bootId(),
            blocked.sequence(),
            blocked.timeNanos(),
            blocked.kind(),
            blocked.processId(),
            blocked.processKey(),
            blocked.image(),
            blocked.commandLine(),
            blocked.user(),
            blocked.integrityLevel(),
            blocked.parentKey(),
            blocked.parentProcessId(),
            blocked.parentImage(),
            blocked.parentCommandLine(),
            blocked.creatorKey(),
            blocked.creatorProcessId(),
            blocked.creatorImage(),
            0xC0000022,
            null,
            null,
            false,
            null,
            0,
            false,
            0,
            0,
            0,
            null,
            0,
            null,
            null,
            false,
            false,
            0);

    EnrichedEvent enriched = apply(blocked);

    assertThat(enriched.ancestry()[0].key()).isEqualTo(100L);
    assertThat(store.byKey()).doesNotContainKey(200L);
  }

  @Test
  void exitedProcessLeavesAfterGraceOnceItsChildrenAreGone() throws Exception {
    apply(events.create(1, 100, 400, "C:\\parent.exe", 0, 0, null));
    apply(events.create(2, 200, 800, "C:\\child.exe", 100, 400, "C:\\parent.exe"));
    apply(events.exit(3, 100, 400, "C:\\parent.exe"));
    long afterGrace = (3 + 600) * LineageEvents.SECOND;

    assertThat(table.expire(100, afterGrace, (a, k) -> {})).as("a live child keeps it").isFalse();
    apply(events.exit(4, 200, 800, "C:\\child.exe"));
    assertThat(table.expire(200, (4 + 600) * LineageEvents.SECOND, (a, k) -> {})).isTrue();

    assertThat(store.byKey()).isEmpty();
  }

  @Test
  void exitedProcessStaysDuringItsGrace() throws Exception {
    apply(events.create(1, 100, 400, "C:\\a.exe", 0, 0, null));
    apply(events.exit(2, 100, 400, "C:\\a.exe"));
    List<Long> rescheduled = new ArrayList<>();

    assertThat(table.expire(100, 3 * LineageEvents.SECOND, (at, key) -> rescheduled.add(at)))
        .isFalse();

    assertThat(store.byKey()).containsKey(100L);
    assertThat(rescheduled).containsExactly((2 + 600) * LineageEvents.SECOND);
  }

  @Test
  void ancestryIsBoundedByDepth() throws Exception {
    ProcessTable shallow = new ProcessTable(store, 2, Duration.ofMinutes(10), 10_000);
    shallow.apply(events.create(1, 1, 4, "a", 0, 0, null), (a, k) -> {});
    shallow.apply(events.create(1, 2, 8, "b", 1, 4, "a"), (a, k) -> {});
    shallow.apply(events.create(1, 3, 12, "c", 2, 8, "b"), (a, k) -> {});

    EnrichedEvent deep = shallow.apply(events.create(1, 4, 16, "d", 3, 12, "c"), (a, k) -> {});

    assertThat(deep.ancestry()).extracting(Ancestor::image).containsExactly("c", "b");
  }

  @Test
  void aFloodOfCreatesNeverGrowsTheTablePastItsBoundAndEvictsExitedProcessesFirst()
      throws Exception {
    ProcessTable bounded = new ProcessTable(store, 8, Duration.ofMinutes(10), 100);
    bounded.apply(events.create(1, 1, 400, "C:\\Windows\\explorer.exe", 0, 0, null), (a, k) -> {});
    bounded.apply(
        events.create(2, 2, 404, "C:\\exited.exe", 1, 400, "C:\\Windows\\explorer.exe"),
        (a, k) -> {});
    bounded.apply(events.exit(3, 2, 404, "C:\\exited.exe"), (a, k) -> {});
    for (int i = 0; i < 10_000; i++) {
      bounded.apply(
          events.create(
              4 + i, 1000 + i, 4 * i, "C:\\flood.exe", 1, 400, "C:\\Windows\\explorer.exe"),
          (a, k) -> {});
      assertThat(store.byKey()).hasSizeLessThanOrEqualTo(100);
    }

    assertThat(store.size()).isEqualTo(store.byKey().size());
    assertThat(bounded.evictions()).isEqualTo(10_000 + 2 - store.byKey().size());
    assertThat(store.byKey()).doesNotContainKey(2L);
    // Its children gone, the parent's count of them is what the table holds.
    long children = store.byKey().values().stream().filter(n -> n.parentKey == 1).count();
    assertThat(store.byKey().get(1L)).isNotNull();
    assertThat(store.byKey().get(1L).liveChildren).isEqualTo((int) children);
  }

  @Test
  void anEvictedParentComesBackAsAPlaceholderForItsChildrensEvents() throws Exception {
    ProcessTable bounded = new ProcessTable(store, 8, Duration.ofMinutes(10), 10);
    bounded.apply(events.create(1, 1, 400, "C:\\parent.exe", 0, 0, null), (a, k) -> {});
    bounded.apply(
        events.create(2, 2, 404, "C:\\child.exe", 1, 400, "C:\\parent.exe"), (a, k) -> {});
    store.byKey().get(1L).touchedNanos = 0; // the oldest of all
    for (int i = 0; i < 10; i++) {
      bounded.apply(
          events.create(3 + i, 100 + i, 800 + 4 * i, "C:\\x.exe", 0, 0, null), (a, k) -> {});
    }

    EnrichedEvent load =
        bounded.apply(events.load(20, 2, 404, "C:\\child.exe", "C:\\a.dll", true), (a, k) -> {});

    assertThat(bounded.evictions()).isPositive();
    assertThat(load.event().processKey()).isEqualTo(2L);
  }
}
