package io.psfleet.jobs.detect;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Concise enriched events of one host for detection tests: sequence numbers are counted for you,
 * times are given in seconds, hashes follow from paths as in the simulator.
 */
public final class TestEvents {
  public static final String SYSTEM32 = "C:\\Windows\\System32\\";
  public static final String KERNEL32 = SYSTEM32 + "kernel32.dll";
  public static final String NTDLL = SYSTEM32 + "ntdll.dll";
  public static final String KERNELBASE = SYSTEM32 + "KernelBase.dll";
  public static final String MICROSOFT = "Microsoft Windows";

  public final String hostId;
  private final long bootId;
  private long sequence;

  public TestEvents(String hostId) {
    this.hostId = hostId;
    this.bootId = 0x7e57;
  }

  /** A process as events and ancestries name it. */
  public record Proc(long key, int pid, String image, String commandLine) {
    public Ancestor ancestor() {
      return new Ancestor(key, pid, image, commandLine, false);
    }
  }

  public static Proc proc(long key, int pid, String image) {
    return new Proc(key, pid, image, "\"" + image + "\"");
  }

  /** An ancestry, nearest first. */
  public static Ancestor[] chain(Proc... nearestFirst) {
    Ancestor[] ancestry = new Ancestor[nearestFirst.length];
    for (int i = 0; i < nearestFirst.length; i++) {
      ancestry[i] = nearestFirst[i].ancestor();
    }
    return ancestry;
  }

  /** Event time of {@code seconds} after an arbitrary epoch, in nanoseconds. */
  public static long at(double seconds) {
    return FleetConfig.Builder.DEFAULT_START_NANOS + Math.round(seconds * 1e9);
  }

  /** Flink record timestamp (milliseconds) of an event time. */
  public static long millis(long nanos) {
    return Math.floorDiv(nanos, 1_000_000L);
  }

  /** The simulator's stand-in hash: SHA-256 of the lowercase path. */
  public static String sha256(String path) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(path.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code child} created by {@code parent}, which is also its reported parent. */
  public EnrichedEvent create(double seconds, Proc child, Proc parent, Ancestor... ancestry) {
    return spoofedCreate(seconds, child, parent, parent, "MEDIUM", ancestry);
  }

  /** {@code child} created by {@code creator}, which names {@code reportedParent} as parent. */
  public EnrichedEvent spoofedCreate(
      double seconds,
      Proc child,
      Proc reportedParent,
      Proc creator,
      String integrityLevel,
      Ancestor... ancestry) {
    return enrich(
        Telemetry.processCreate(
            hostId,
            bootId,
            ++sequence,
            at(seconds),
            child.pid(),
            child.key(),
            child.image(),
            child.commandLine(),
            "CORP\\alice",
            integrityLevel,
            reportedParent.key(),
            reportedParent.pid(),
            reportedParent.image(),
            reportedParent.commandLine(),
            creator.key(),
            creator.pid(),
            creator.image(),
            0,
            sha256(child.image())),
        ancestry);
  }

  /** A create the sensor blocked with STATUS_ACCESS_DENIED. */
  public EnrichedEvent blocked(EnrichedEvent create) {
    Telemetry t = create.event();
    return new EnrichedEvent(
        Telemetry.processCreate(
            t.hostId(),
            t.bootId(),
            t.sequence(),
            t.timeNanos(),
            t.processId(),
            t.processKey(),
            t.image(),
            t.commandLine(),
            t.user(),
            t.integrityLevel(),
            t.parentKey(),
            t.parentProcessId(),
            t.parentImage(),
            t.parentCommandLine(),
            t.creatorKey(),
            t.creatorProcessId(),
            t.creatorImage(),
            0xC0000022,
            t.sha256()),
        create.ancestry(),
        create.sourceAncestry());
  }

  /** {@code process} maps {@code dll}, signed by {@code signer} or unsigned when it is null. */
  public EnrichedEvent load(
      double seconds, Proc process, String dll, String signer, Ancestor... ancestry) {
    return load(seconds, process, dll, signer, sha256(dll), ancestry);
  }

  public EnrichedEvent load(
      double seconds,
      Proc process,
      String dll,
      String signer,
      String sha256,
      Ancestor... ancestry) {
    int level = signer == null ? 1 : signer.startsWith("Microsoft") ? 8 : 4;
    return enrich(
        Telemetry.imageLoad(
            hostId,
            bootId,
            ++sequence,
            at(seconds),
            process.pid(),
            process.key(),
            process.image(),
            dll,
            sha256,
            signer != null,
            signer,
            level,
            false),
        ancestry);
  }

  /**
   * A thread {@code source} creates in {@code target} at {@code module!function}; remote unless
   * source and target are the same process.
   */
  public EnrichedEvent thread(
      double seconds, Proc source, Proc target, String startModule, String startFunction) {
    return thread(seconds, source, target, startModule, startFunction, false);
  }

  /** The initial thread of the new process {@code target}, reported in its creator's context. */
  public EnrichedEvent initialThread(double seconds, Proc creator, Proc target) {
    return thread(seconds, creator, target, NTDLL, "RtlUserThreadStart", true);
  }

  private EnrichedEvent thread(
      double seconds,
      Proc source,
      Proc target,
      String startModule,
      String startFunction,
      boolean initial) {
    boolean remote = source.key() != target.key() && !initial;
    return new EnrichedEvent(
        Telemetry.threadCreate(
            hostId,
            bootId,
            ++sequence,
            at(seconds),
            target.pid(),
            target.key(),
            target.image(),
            4000 + (int) sequence * 4,
            source.key(),
            source.pid(),
            source.image(),
            0x7ffa_1234_0000L,
            startModule,
            startFunction,
            remote,
            initial),
        EnrichedEvent.NONE,
        EnrichedEvent.NONE);
  }

  public EnrichedEvent exit(double seconds, Proc process) {
    return enrich(
        Telemetry.processExit(
            hostId,
            bootId,
            ++sequence,
            at(seconds),
            process.pid(),
            process.key(),
            process.image(),
            0),
        EnrichedEvent.NONE);
  }

  /** {@code thread} with the ancestries of its target and of its creator attached. */
  public static EnrichedEvent withAncestries(
      EnrichedEvent thread, Ancestor[] targetAncestry, Ancestor[] sourceAncestry) {
    return new EnrichedEvent(thread.event(), targetAncestry, sourceAncestry);
  }

  private static EnrichedEvent enrich(Telemetry t, Ancestor[] ancestry) {
    return new EnrichedEvent(t, ancestry, EnrichedEvent.NONE);
  }
}
