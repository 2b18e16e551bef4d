package io.psfleet.winevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged EVTX files, made from real recordings: clear issues, and the rest still read. */
class EvtxBadInputTest {
  private static final int HEADER = 4096;
  private static final int CHUNK = 65536;

  /** Six Sysmon events in one chunk. */
  private static byte[] six;

  /** One Sysmon event in one chunk. */
  private static byte[] one;

  @TempDir Path dir;

  @BeforeAll
  static void loadRecordings() throws IOException {
    Path data = SigmaSnapshot.regressionData();
    six =
        Files.readAllBytes(
            data.resolve(
                "rules-emerging-threats/2025/Malware/Shai-Hulud/"
                    + "proc_creation_win_mal_shai_hulud_malicious_node_bun_execution/"
                    + "5299fadf-f228-4526-8274-251db1960be9.evtx"));
    one =
        Files.readAllBytes(
            data.resolve(
                "rules-emerging-threats/2025/Malware/Shai-Hulud/"
                    + "proc_creation_win_mal_shai_hulud_indicator/"
                    + "540703fb-a874-4385-a9d6-7cd1bfab268c.evtx"));
  }

  @Test
  void truncatedFileReportsTheCutAndKeepsEarlierChunks() throws IOException {
    byte[] file = twoChunks();
    byte[] cut = Arrays.copyOf(file, HEADER + CHUNK + 30_000);

    Result r = read("cut.evtx", cut);

    assertThat(r.events).hasSize(6);
    assertThat(r.report.issues()).hasSize(1);
    ReadIssue issue = r.report.issues().get(0);
    assertThat(issue.source()).isEqualTo("cut.evtx");
    assertThat(issue.unit()).isEqualTo(ReadIssue.Unit.BYTE);
    assertThat(issue.position()).isEqualTo(HEADER + CHUNK + 30_000);
    assertThat(issue.toString()).contains("cut.evtx", "chunk 1 cut off", "truncated");
  }

  @Test
  void fileCutInsideItsHeaderIsOneIssue() throws IOException {
    Result r = read("stub.evtx", Arrays.copyOf(six, 100));

    assertThat(r.events).isEmpty();
    assertThat(r.report.issues()).singleElement().asString().contains("stub.evtx", "header");
  }

  @Test
  void chunkWithWrongChecksumIsSkippedAndTheNextChunkRead() throws IOException {
    byte[] file = twoChunks();
    file[HEADER + 600] ^= 0x20; // inside the first chunk's records

    Result r = read("flipped.evtx", file);

    assertThat(r.events).hasSize(1).allSatisfy(e -> assertThat(e.recordId()).isEqualTo(2584270));
    assertThat(r.report.issues()).singleElement();
    ReadIssue issue = r.report.issues().get(0);
    assertThat(issue.position()).isEqualTo(HEADER + 52);
    assertThat(issue.message()).contains("chunk 0", "event records CRC32 mismatch", "skipped");
  }

  @Test
  void chunkHeaderChecksumIsChecked() throws IOException {
    byte[] file = twoChunks();
    file[HEADER + 24] ^= 0x01; // first record id in the chunk header

    Result r = read("header.evtx", file);

    assertThat(r.events).hasSize(1);
    assertThat(r.report.issues()).singleElement().asString().contains("header CRC32 mismatch");
  }

  @Test
  void checksumsCanBeReportedWithoutSkipping() throws IOException {
    byte[] file = six.clone();
    file[HEADER + 40] ^= 0x01; // an unused header byte: the data is still sound
    Path path = write("lenient.evtx", file);
    List<WinEvent> events = new ArrayList<>();

    ReadReport report = EvtxReader.read(path, new EvtxReader.Options(false, true), events::add);

    assertThat(events).hasSize(6);
    assertThat(report.issues()).singleElement().asString().contains("read anyway");
  }

  @Test
  void recordWithBadSizeIsSkippedAndTheNextRecordFound() throws IOException {
    byte[] file = six.clone();
    int second = HEADER + 512 + u32(file, HEADER + 512 + 4);
    putU32(file, second + 4, 0x00ff_0000);
    fixChunkChecksums(file, HEADER);

    Result r = read("badsize.evtx", file);

    assertThat(r.events).hasSize(5);
    assertThat(r.report.issues()).singleElement();
    ReadIssue issue = r.report.issues().get(0);
    assertThat(issue.position()).isEqualTo(second);
    assertThat(issue.message()).contains("size 16711680", "skipped", "next record");
    assertThat(r.events.get(1).index()).isEqualTo(1);
  }

  @Test
  void recordWithBrokenBinaryXmlIsSkipped() throws IOException {
    byte[] file = six.clone();
    int first = HEADER + 512;
    file[first + 24] = 0x7f; // replaces the fragment header token
    fixChunkChecksums(file, HEADER);

    Result r = read("binxml.evtx", file);

    assertThat(r.events).hasSize(5);
    assertThat(r.report.issues())
        .singleElement()
        .asString()
        .contains("binxml.evtx", "event record", "unexpected token 0x7f", "skipped");
  }

  @Test
  void garbageIsReportedNotThrown() throws IOException {
    byte[] garbage = new byte[3 * CHUNK];
    new Random(7).nextBytes(garbage);

    Result r = read("garbage.evtx", garbage);

    assertThat(r.events).isEmpty();
    assertThat(r.report.issues())
        .first()
        .asString()
        .contains("garbage.evtx", "byte 0", "not an EVTX file");
  }

  @Test
  void randomDamageBehindValidChecksumsNeverEscapesAsAnException() throws IOException {
    Random random = new Random(42);
    int damagedRecords = 0;
    int rounds = Integer.getInteger("psfleet.fuzz.rounds", 300);
    for (int round = 0; round < rounds; round++) {
      byte[] file = six.clone();
      int end = u32(file, HEADER + 48);
      int damage = 1 + random.nextInt(round % 2 == 0 ? 4 : 40);
      for (int k = 0; k < damage; k++) {
        // Every third round also hits the chunk header (offsets, table buckets).
        int from = round % 3 == 0 ? 8 : 512;
        int at = HEADER + from + random.nextInt(end - from);
        file[at] = (byte) random.nextInt(256);
      }
      fixChunkChecksums(file, HEADER);

      Result r = read("fuzz" + round + ".evtx", file);

      // Only the parser's own checks speak: no RuntimeException was caught as a last resort.
      assertThat(r.report.issues()).noneMatch(i -> i.message().contains("unreadable ("));
      damagedRecords += r.report.issues().size();
    }
    assertThat(damagedRecords).isPositive();
  }

  @Test
  void iteratorPullsTheSameEventsAsTheConsumerAndReportsTheSameIssues() throws IOException {
    byte[] file = twoChunks();
    file[HEADER + CHUNK + 600] ^= 0x20;
    Path path = write("pull.evtx", file);
    Result pushed = read("push.evtx", file);

    List<WinEvent> pulled = new ArrayList<>();
    ReadReport report;
    try (EvtxReader.Events events = EvtxReader.open(path, EvtxReader.Options.DEFAULTS)) {
      events.forEachRemaining(pulled::add);
      report = events.report();
    }

    assertThat(pulled)
        .extracting(WinEvent::recordId)
        .isEqualTo(pushed.events.stream().map(WinEvent::recordId).toList())
        .hasSize(6);
    assertThat(report.issues())
        .extracting(ReadIssue::message)
        .isEqualTo(pushed.report.issues().stream().map(ReadIssue::message).toList());
    assertThat(report.eventsRead()).isEqualTo(6);
  }

  // ------------------------------------------------------------------ helpers

  private record Result(List<WinEvent> events, ReadReport report) {}

  private Result read(String name, byte[] content) throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = EvtxReader.read(write(name, content), events::add);
    assertThat(report.eventsRead()).isEqualTo(events.size());
    return new Result(events, report);
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  /** The six-event file with the one-event file's chunk appended as a second chunk. */
  private static byte[] twoChunks() {
    byte[] file = Arrays.copyOf(six, HEADER + 2 * CHUNK);
    System.arraycopy(one, HEADER, file, HEADER + CHUNK, CHUNK);
    return file;
  }

  static void fixChunkChecksums(byte[] file, int chunk) {
    CRC32 crc = new CRC32();
    int free = u32(file, chunk + 48);
    // A damaged free-space offset gets the checksum of nothing; the reader rejects it anyway.
    crc.update(file, chunk + 512, free >= 512 && free <= CHUNK ? free - 512 : 0);
    putU32(file, chunk + 52, (int) crc.getValue());
    crc.reset();
    crc.update(file, chunk, 120);
    crc.update(file, chunk + 128, 384);
    putU32(file, chunk + 124, (int) crc.getValue());
  }

  static int u32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | b[off + 3] << 24;
  }

  static void putU32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >> 8);
    b[off + 2] = (byte) (v >> 16);
    b[off + 3] = (byte) (v >> 24);
  }
}
