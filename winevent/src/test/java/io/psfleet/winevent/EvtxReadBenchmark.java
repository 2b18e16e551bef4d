package io.psfleet.winevent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Read rate of {@link EvtxReader}; a benchmark, not a test (it prints figures, asserts nothing).
 * Run after {@code ./mvnw -o -q -pl winevent verify}:
 *
 * <pre>
 * java -cp winevent/target/classes:winevent/target/test-classes:$(jackson jars) \
 *     io.psfleet.winevent.EvtxReadBenchmark [seconds]
 * </pre>
 *
 * <p>The machine is shared, so besides wall-clock rates it prints events per CPU-second of the
 * reading thread, which other processes disturb much less.
 *
 * <p>Two loads: the 104 SigmaHQ regression recordings read over and over (one chunk each, one to
 * six events per chunk, so chunk overhead dominates), and a dense file of the six-event recording's
 * template-referencing records packed into full chunks, as a busy Sysmon log looks.
 */
public final class EvtxReadBenchmark {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private EvtxReadBenchmark() {}

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    List<Path> files = SigmaSnapshot.recordings();
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    run("regression corpus (" + files.size() + " files)", files, bytes, seconds);

    Path dense = Files.createTempFile("dense", ".evtx");
    try {
      Files.write(dense, denseFile(files, 64));
      run("dense 64-chunk file", List.of(dense), Files.size(dense), seconds);
    } finally {
      Files.delete(dense);
    }
  }

  private static void run(String name, List<Path> files, long bytes, double seconds)
      throws IOException {
    long[] sink = new long[1];
    // Warm-up, then measure.
    for (int pass = 0; pass < 2; pass++) {
      long events = 0;
      long rounds = 0;
      long start = System.nanoTime();
      long cpuStart = CPU.getCurrentThreadCpuTime();
      long end = start + (long) ((pass == 0 ? 1 : seconds) * 1e9);
      while (System.nanoTime() < end) {
        for (Path f : files) {
          events += EvtxReader.read(f, e -> sink[0] += e.eventData().size()).eventsRead();
        }
        rounds++;
      }
      double s = (System.nanoTime() - start) / 1e9;
      double cpu = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      if (pass == 1) {
        System.out.printf(
            "%s: %d events per round; %d events in %.1f s wall, %.1f s CPU of this thread ="
                + " %.0f events/s wall, %.0f events per CPU-second, %.1f MB per CPU-second%n",
            name,
            events / rounds,
            events,
            s,
            cpu,
            events / s,
            events / cpu,
            rounds * bytes / cpu / 1e6);
      }
    }
  }

  /** A file of {@code chunks} chunks, each packed with copies of records 2-6 of a real chunk. */
  static byte[] denseFile(List<Path> files, int chunks) throws IOException {
    Path six =
        files.stream()
            .filter(p -> p.getFileName().toString().startsWith("5299fadf"))
            .findFirst()
            .orElseThrow();
    byte[] src = Files.readAllBytes(six);
    int base = 4096;
    int first = EvtxBadInputTest.u32(src, base + 512 + 4);
    int from = 512 + first;
    int to = EvtxBadInputTest.u32(src, base + 48);
    byte[] chunk = Arrays.copyOfRange(src, base, base + 65536);
    int pos = to;
    while (pos + (to - from) <= 65536) {
      System.arraycopy(src, base + from, chunk, pos, to - from);
      pos += to - from;
    }
    Arrays.fill(chunk, pos, 65536, (byte) 0);
    EvtxBadInputTest.putU32(chunk, 48, pos);
    EvtxBadInputTest.fixChunkChecksums(chunk, 0);
    byte[] file = Arrays.copyOf(src, base + chunks * 65536);
    for (int k = 0; k < chunks; k++) {
      System.arraycopy(chunk, 0, file, base + k * 65536, 65536);
    }
    return file;
  }
}
