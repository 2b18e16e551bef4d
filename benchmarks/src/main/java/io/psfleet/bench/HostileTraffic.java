package io.psfleet.bench;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a hostile producer writes to the telemetry topic, one round at a time: every kind of bad
 * record issue 18 lists, and three Office-to-cmd lineage attacks hidden among them (one with a 2 MB
 * command line, one after a forged sequence number, one replayed under other boot ids), each on a
 * host of its own ({@code hostile-<round>-<case>}). Also a flooding host that sends valid process
 * creations at a given rate. Its producer writes what a broker takes: up to 16 MB a record before
 * lz4, so a 1 MiB value or a 2 MB command line gets in.
 *
 * <p>Event times follow {@code clock}, the simulated fleet's, so the hostile hosts keep the
 * watermark where the fleet's events put it (the 2200 event aside, which is the point).
 */
final class HostileTraffic implements AutoCloseable {
  static final String FLOOD_HOST = "flood-000001";
  private static final String EXPLORER = "C:\\Windows\\explorer.exe";
  private static final String WORD =
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE";
  private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
  private static final long BOOT = 0x5eed;
  private static final String HUGE_COMMAND_LINE = "cmd.exe /c " + "A".repeat(2 * 1024 * 1024);

  private final String topic;
  private final LongSupplier clock;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
  private final SingleObjectCodec<TelemetryEvent> floodCodec = SingleObjectCodec.telemetry();
  private final Map<String, Long> hostTimes = new HashMap<>();
  private final Random random = new Random(18);
  private final Map<String, AtomicLong> sent = new LinkedHashMap<>();
  private final AtomicLong floodSequence = new AtomicLong();
  private long round;

  HostileTraffic(String bootstrap, String topic, LongSupplier clock) {
    this.topic = topic;
    this.clock = clock;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(props);
  }

  /** Records sent so far, by case. */
  synchronized Map<String, Long> sent() {
    Map<String, Long> copy = new LinkedHashMap<>();
    sent.forEach((k, v) -> copy.put(k, v.get()));
    copy.put("flood (valid creates and remote threads of " + FLOOD_HOST + ")", floodSequence.get());
    return copy;
  }

  /** Attack hosts of the rounds sent so far: each should raise exactly one lineage alert. */
  synchronized long attacks() {
    return 3 * round;
  }

  /** One round of every case. */
  synchronized void round() {
    round++;
    String prefix = "hostile-" + round + "-";
    byte[] randomBytes = new byte[100 + random.nextInt(900)];
    random.nextBytes(randomBytes);
    randomBytes[0] = 0; // no single-object marker by chance
    send("random bytes", prefix + "x", randomBytes);
    send("1 MiB value", prefix + "x", new byte[1024 * 1024]);
    send("empty value", prefix + "x", new byte[0]);
    byte[] valid = encode(create(prefix + "x", 1, 100, EXPLORER, 0, null, "explorer.exe"));
    send("truncated record", prefix + "x", Arrays.copyOf(valid, valid.length / 2));
    byte[] unknown = valid.clone();
    unknown[4] ^= 0x33;
    send("unknown schema fingerprint", prefix + "x", unknown);
    TelemetryEvent negative = create(prefix + "x", 1, 100, EXPLORER, 0, null, "explorer.exe");
    ((ProcessCreate) negative.getBody()).setProcessId(-4);
    send("negative pid", prefix + "x", encode(negative));
    String longHost = prefix + "h".repeat(300);
    send(
        "300-character host id",
        longHost,
        encode(create(longHost, 1, 100, EXPLORER, 0, null, "e")));
    TelemetryEvent in2200 = create(prefix + "t", 1, 100, EXPLORER, 0, null, "explorer.exe");
    in2200
        .getHeader()
        .setEventTimeNanos(Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    send("event dated 2200", prefix + "t", encode(in2200));
    TelemetryEvent in1970 = create(prefix + "t", 2, 104, EXPLORER, 0, null, "explorer.exe");
    in1970.getHeader().setEventTimeNanos(1_000_000_000L);
    send("event dated 1970 (kept: old, cannot move a watermark)", prefix + "t", encode(in1970));

    // Three lineage attacks: Word starts cmd.exe.
    String big = prefix + "big";
    lineage("attack with a 2 MB command line", big, BOOT, HUGE_COMMAND_LINE);

    String jump = prefix + "jump";
    send(
        "attack after a forged sequence number",
        jump,
        encode(create(jump, 1, 100, EXPLORER, 0, null, "e")));
    send(
        "attack after a forged sequence number",
        jump,
        encode(create(jump, 2, 200, WORD, 100, EXPLORER, "w")));
    send("forged sequence number 2^40", jump, encode(load(jump, 1L << 40, 200, WORD)));
    send(
        "attack after a forged sequence number",
        jump,
        encode(create(jump, 3, 300, CMD, 200, WORD, "cmd /c x")));

    String flip = prefix + "flip";
    lineage("attack replayed under other boot ids", flip, BOOT, "cmd /c whoami");
    for (long boot : new long[] {BOOT + 1, BOOT, BOOT + 2}) {
      lineage(
          "replay under boot id " + (boot == BOOT ? "A (its own)" : "B, C (new)"),
          flip,
          boot,
          "cmd /c whoami");
    }
  }

  /**
   * Explorer, Word, and cmd.exe from Word on {@code host}, with the same keys and times each time.
   */
  private void lineage(String what, String host, long boot, String commandLine) {
    long t = roundTime(host);
    send(what, host, encode(at(create(host, 1, 100, EXPLORER, 0, null, "explorer.exe"), boot, t)));
    send(what, host, encode(at(create(host, 2, 200, WORD, 100, EXPLORER, "winword"), boot, t + 1)));
    send(what, host, encode(at(create(host, 3, 300, CMD, 200, WORD, commandLine), boot, t + 2)));
  }

  /** One time per host, so a replay carries the times of what it replays. */
  private long roundTime(String host) {
    return hostTimes.computeIfAbsent(host, h -> clock.getAsLong());
  }

  private static TelemetryEvent at(TelemetryEvent event, long boot, long timeNanos) {
    event.getHeader().setBootId(boot);
    event.getHeader().setEventTimeNanos(timeNanos);
    return event;
  }

  /**
   * {@code n} valid events of the flooding host: each a new process, every second one a remote
   * thread into the process before it, so both the process table and the injection rule's pending
   * threads see ever new keys. One thread calls this.
   */
  void flood(int n) {
    for (int i = 0; i < n; i++) {
      long seq = floodSequence.incrementAndGet();
      TelemetryEvent e =
          seq % 2 == 1
              ? create(
                  FLOOD_HOST,
                  seq,
                  1_000_000 + seq,
                  "C:\\Users\\Public\\flood.exe",
                  100,
                  EXPLORER,
                  "flood.exe --payload " + Long.toHexString(random.nextLong()).repeat(16))
              : remoteThread(FLOOD_HOST, seq, 100, 1_000_000 + seq - 1);
      producer.send(
          new ProducerRecord<>(
              topic, FLOOD_HOST.getBytes(StandardCharsets.UTF_8), floodCodec.encode(e)));
    }
  }

  private TelemetryEvent remoteThread(String host, long seq, long source, long target) {
    ThreadCreate thread =
        ThreadCreate.newBuilder()
            .setTargetProcessGuid(target)
            .setTargetProcessId((int) (4 * (target % 100_000)))
            .setTargetImage("C:\\Users\\Public\\flood.exe")
            .setNewThreadId((int) (4 * (seq % 100_000)))
            .setSourceProcessGuid(source)
            .setSourceProcessId((int) (4 * (source % 100_000)))
            .setSourceThreadId(8)
            .setSourceImage(EXPLORER)
            .setStartAddress(0x7ffa_1234_0000L)
            .setStartModule("C:\\Windows\\System32\\kernel32.dll")
            .setStartFunction("LoadLibraryW")
            .setRemoteThread(true)
            .setInitialThread(false)
            .build();
    return new TelemetryEvent(
        new EventHeader(host, BOOT, seq, clock.getAsLong(), "hostile"), thread);
  }

  private void send(String what, String host, byte[] value) {
    sent.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    producer.send(new ProducerRecord<>(topic, host.getBytes(StandardCharsets.UTF_8), value));
  }

  private byte[] encode(TelemetryEvent event) {
    return codec.encode(event);
  }

  private TelemetryEvent create(
      String host, long seq, long key, String image, long parentKey, String parent, String cmd) {
    ProcessCreate.Builder b =
        ProcessCreate.newBuilder()
            .setProcessGuid(key)
            .setProcessId((int) (4 * (key % 100_000)))
            .setImage(image)
            .setCommandLine(cmd)
            .setUser("CORP\\mallory")
            .setIntegrityLevel(IntegrityLevel.MEDIUM)
            .setParentProcessId(parentKey == 0 ? 0 : (int) (4 * (parentKey % 100_000)))
            .setCreatorProcessId(parentKey == 0 ? 0 : (int) (4 * (parentKey % 100_000)))
            .setCreatorThreadId(8);
    if (parentKey != 0) {
      b.setParentProcessGuid(parentKey).setParentImage(parent).setCreatorProcessGuid(parentKey);
    }
    return new TelemetryEvent(
        new EventHeader(host, BOOT, seq, clock.getAsLong(), "hostile"), b.build());
  }

  private TelemetryEvent load(String host, long seq, long key, String image) {
    ImageLoad load =
        ImageLoad.newBuilder()
            .setProcessGuid(key)
            .setProcessId((int) (4 * (key % 100_000)))
            .setImage(image)
            .setImageLoaded("C:\\Windows\\System32\\version.dll")
            .setSigned(true)
            .setSignature("Microsoft Windows")
            .setSignatureStatus(SignatureStatus.VALID)
            .setImageSignatureLevel(SigningLevel.WINDOWS)
            .setImageSignatureType(SignatureType.EMBEDDED)
            .setImageBase(0x7ff8_0000_0000L)
            .setImageSize(0x1_0000L)
            .build();
    return new TelemetryEvent(new EventHeader(host, BOOT, seq, clock.getAsLong(), "hostile"), load);
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
