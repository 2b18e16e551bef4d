package io.psfleet.winevent;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Reads Windows event log files ({@code .evtx}) directly: the file header, then each 64 KiB chunk,
 * then each event record's binary XML (see {@link BinXml}). Element names and templates are
 * resolved by their chunk offsets, as records refer to them; the chunk header's string table (64
 * buckets) and template table (32 buckets) only index those same structures, so they are covered by
 * the header checksum but not walked. One chunk is held in memory at a time and each event goes to
 * the consumer as soon as its record is parsed, so memory use does not grow with the file.
 *
 * <p>Bad input never throws. A file header that is damaged is reported and the chunks are read
 * anyway; a chunk whose header or records checksum is wrong, or that is cut off, is reported and
 * skipped; a record with a bad signature or size is reported and the reader looks for the next
 * record signature in the same chunk; a record whose binary XML is broken is reported and skipped.
 * Each {@link ReadIssue} names the file and the byte offset.
 */
public final class EvtxReader {
  static final int FILE_HEADER_SIZE = 4096;
  static final int CHUNK_SIZE = 65536;
  static final int CHUNK_HEADER_SIZE = 512;
  private static final int RECORD_HEADER_SIZE = 24;
  private static final byte[] FILE_MAGIC = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
  private static final byte[] CHUNK_MAGIC = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

  /**
   * @param verifyChecksums skip chunks whose header or records CRC32 does not match (default true);
   *     false reads them anyway, still reporting the mismatch
   * @param trimStrings drop trailing white space from string values as evtx_dump does (default
   *     true, so that rules see what they see on the evtx_dump twins); false keeps the text as the
   *     provider wrote it, as Windows' own XML rendering does
   */
  public record Options(boolean verifyChecksums, boolean trimStrings) {
    public static final Options DEFAULTS = new Options(true, true);
  }

  private EvtxReader() {}

  /** Reads every event of {@code file} into {@code sink}, checking checksums. */
  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    return read(file, Options.DEFAULTS, sink);
  }

  /**
   * Reads every event of {@code file} into {@code sink}.
   *
   * @throws IOException only when the file cannot be opened or read; problems with its content are
   *     issues in the report
   */
  public static ReadReport read(Path file, Options options, Consumer<? super WinEvent> sink)
      throws IOException {
    ReadReport.Tally tally =
        new ReadReport.Tally(file.getFileName().toString(), WinEventFormat.EVTX, sink);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      new EvtxReader.Run(channel, options, tally).run();
    }
    return tally.report();
  }

  /**
   * The events of {@code file} as an iterator, for pull-style callers: one chunk is read ahead at a
   * time, so memory stays bounded. Close it to release the file; {@link Events#report()} tells what
   * was read so far.
   */
  public static Events open(Path file, Options options) throws IOException {
    return new Events(file, options);
  }

  /**
   * Pulls events one chunk at a time. {@link #hasNext()} throws {@link UncheckedIOException} only
   * when the file cannot be read; problems with its content are issues in {@link #report()}.
   */
  public static final class Events implements Iterator<WinEvent>, Closeable {
    private final ArrayDeque<WinEvent> ready = new ArrayDeque<>();
    private final FileChannel channel;
    private final ReadReport.Tally tally;
    private final Run run;
    private boolean more = true;

    private Events(Path file, Options options) throws IOException {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      this.tally =
          new ReadReport.Tally(file.getFileName().toString(), WinEventFormat.EVTX, ready::add);
      this.run = new Run(channel, options, tally);
    }

    @Override
    public boolean hasNext() {
      try {
        while (ready.isEmpty() && more) {
          more = run.step();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + tally.source() + ": " + e.getMessage(), e);
      }
      return !ready.isEmpty();
    }

    @Override
    public WinEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** What has been read so far; complete once {@link #hasNext()} returned false. */
    public ReadReport report() {
      return tally.report();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** True when {@code head} starts with the file or chunk signature. */
  static boolean hasSignature(byte[] head, int length) {
    return startsWith(head, length, FILE_MAGIC) || startsWith(head, length, CHUNK_MAGIC);
  }

  private static boolean startsWith(byte[] b, int length, byte[] magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (b[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static final class Run {
    private final FileChannel channel;
    private final Options options;
    private final ReadReport.Tally tally;
    private final byte[] chunk = new byte[CHUNK_SIZE];
    private final CRC32 crc = new CRC32();

    Run(FileChannel channel, Options options, ReadReport.Tally tally) {
      this.channel = channel;
      this.options = options;
      this.tally = tally;
    }

    private long first = -1;
    private long next;
    private boolean done;

    void run() throws IOException {
      while (step()) {}
    }

    /** Reads the next chunk (the file header first); false once the file is done. */
    boolean step() throws IOException {
      if (done) {
        return false;
      }
      if (first < 0) {
        int got = readAt(0, FILE_HEADER_SIZE);
        first = FILE_HEADER_SIZE;
        if (startsWith(chunk, got, CHUNK_MAGIC)) {
          // A bare chunk (some tools carve them out): no file header.
          first = 0;
        } else if (got < FILE_HEADER_SIZE) {
          tally.atByte(
              got,
              "file cut off inside its 4096-byte header ("
                  + got
                  + " bytes): not an EVTX file or truncated");
          done = true;
          return false;
        } else {
          fileHeader();
        }
        next = first;
      }
      if (next >= channel.size()) {
        done = true;
        return false;
      }
      long offset = next;
      next += CHUNK_SIZE;
      int n = readAt(offset, CHUNK_SIZE);
      long number = (offset - first) / CHUNK_SIZE;
      if (n < CHUNK_SIZE) {
        if (!allZero(n)) {
          tally.atByte(
              offset + n,
              "chunk "
                  + number
                  + " cut off after "
                  + n
                  + " of "
                  + CHUNK_SIZE
                  + " bytes (truncated file); chunk skipped");
        }
        done = true;
        return false;
      }
      chunk(offset, number);
      return true;
    }

    private void fileHeader() {
      if (!startsWith(chunk, FILE_HEADER_SIZE, FILE_MAGIC)) {
        tally.atByte(
            0, "no \"ElfFile\" signature: not an EVTX file header; looking for chunks anyway");
        return;
      }
      crc.reset();
      crc.update(chunk, 0, 120);
      long stored = u32(124);
      if (crc.getValue() != stored) {
        tally.atByte(
            124,
            "file header CRC32 mismatch (stored 0x"
                + Long.toHexString(stored)
                + ", computed 0x"
                + Long.toHexString(crc.getValue())
                + "); reading the chunks anyway");
      }
    }

    private void chunk(long fileOffset, long number) {
      if (!startsWith(chunk, CHUNK_SIZE, CHUNK_MAGIC)) {
        if (!allZero(CHUNK_SIZE)) {
          tally.atByte(fileOffset, "chunk " + number + " has no \"ElfChnk\" signature; skipped");
        }
        return;
      }
      crc.reset();
      crc.update(chunk, 0, 120);
      crc.update(chunk, 128, CHUNK_HEADER_SIZE - 128);
      long storedHeader = u32(124);
      if (crc.getValue() != storedHeader) {
        if (mismatch(fileOffset + 124, number, "header", storedHeader, crc.getValue())) {
          return;
        }
      }
      long free = u32(48);
      if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
        tally.atByte(
            fileOffset + 48,
            "chunk " + number + " free space offset " + free + " outside the chunk; skipped");
        return;
      }
      int end = (int) free;
      crc.reset();
      crc.update(chunk, CHUNK_HEADER_SIZE, end - CHUNK_HEADER_SIZE);
      long storedRecords = u32(52);
      if (crc.getValue() != storedRecords) {
        if (mismatch(fileOffset + 52, number, "event records", storedRecords, crc.getValue())) {
          return;
        }
      }
      records(fileOffset, end);
    }

    /** Reports a CRC mismatch; true when the chunk is to be skipped. */
    private boolean mismatch(long at, long number, String what, long stored, long computed) {
      boolean skip = options.verifyChecksums();
      tally.atByte(
          at,
          "chunk "
              + number
              + " "
              + what
              + " CRC32 mismatch (stored 0x"
              + Long.toHexString(stored)
              + ", computed 0x"
              + Long.toHexString(computed)
              + (skip ? "); chunk skipped" : "); read anyway"));
      return skip;
    }

    private void records(long fileOffset, int end) {
      BinXml xml = new BinXml(chunk, CHUNK_SIZE, options.trimStrings());
      EvtxEventBuilder builder = new EvtxEventBuilder(xml);
      int pos = CHUNK_HEADER_SIZE;
      while (pos <= end - RECORD_HEADER_SIZE) {
        String bad = recordProblem(pos, end);
        if (bad != null) {
          int next = nextRecord(pos + 1, end);
          tally.atByte(
              fileOffset + pos,
              "event record "
                  + bad
                  + (next < 0
                      ? "; rest of the chunk skipped"
                      : "; skipped " + (next - pos) + " bytes to the next record"));
          if (next < 0) {
            return;
          }
          pos = next;
          continue;
        }
        int size = (int) u32(pos + 4);
        long recordId = u64(pos + 8);
        Instant written = BinXml.filetime(u64(pos + 16));
        WinEvent event = null;
        try {
          BinXml.Node[] nodes = xml.fragment(pos + RECORD_HEADER_SIZE, pos + size - 4, 0);
          event = builder.build(nodes, tally.source(), tally.nextIndex(), recordId, written);
        } catch (BinXml.Malformed e) {
          long at = e.offset >= 0 ? fileOffset + e.offset : fileOffset + pos;
          tally.atByte(at, "event record " + recordId + ": " + e.getMessage() + "; skipped");
        } catch (RuntimeException e) {
          // Defensive: a parser bug must not lose the rest of the file.
          tally.atByte(
              fileOffset + pos, "event record " + recordId + ": unreadable (" + e + "); skipped");
        }
        if (event != null) {
          tally.accept(event);
        }
        pos += size;
      }
    }

    /** Why the record at {@code pos} cannot be read, or null when its framing is sound. */
    private String recordProblem(int pos, int end) {
      if (u32(pos) != 0x00002a2aL) {
        return "signature 0x" + String.format("%08x", u32(pos)) + " is not 0x00002a2a";
      }
      long size = u32(pos + 4);
      if (size < RECORD_HEADER_SIZE + 4 || size > end - pos) {
        return "size " + size + " does not fit the chunk (" + (end - pos) + " bytes left)";
      }
      long copy = u32(pos + (int) size - 4);
      if (copy != size) {
        return "size " + size + " does not match its trailing copy " + copy;
      }
      return null;
    }

    private int nextRecord(int from, int end) {
      for (int p = from; p <= end - RECORD_HEADER_SIZE; p++) {
        if (chunk[p] == 0x2a
            && chunk[p + 1] == 0x2a
            && chunk[p + 2] == 0
            && chunk[p + 3] == 0
            && recordProblem(p, end) == null) {
          return p;
        }
      }
      return -1;
    }

    private int readAt(long offset, int length) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(chunk, 0, length);
      long at = offset;
      while (buf.hasRemaining()) {
        int n = channel.read(buf, at);
        if (n < 0) {
          break;
        }
        at += n;
      }
      return buf.position();
    }

    private boolean allZero(int length) {
      for (int i = 0; i < length; i++) {
        if (chunk[i] != 0) {
          return false;
        }
      }
      return true;
    }

    private long u32(int off) {
      return ((chunk[off] & 0xff)
              | (chunk[off + 1] & 0xff) << 8
              | (chunk[off + 2] & 0xff) << 16
              | (long) (chunk[off + 3] & 0xff) << 24)
          & 0xffffffffL;
    }

    private long u64(int off) {
      return u32(off) | u32(off + 4) << 32;
    }
  }
}
