package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.BootParameters;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.replay.RecordedEvent.RecordedAccount;
import io.psfleet.agent.sensor.EventSink;
import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.agent.workload.WindowsImages;
import java.util.function.LongConsumer;

/**
 * A recording played as its own host, as {@code ./psfleet replay} publishes it: a kernel that
 * booted just before the recording starts, with nothing running but what the recording needs, and
 * the sensor. Users, logon sessions and integrity are the recorded ones (this is the recorded
 * machine); pids and ProcessGuids are the sensor's, from this kernel.
 *
 * <p>The processes the recording names without creating (the parents of its first processes,
 * processes seen only loading a DLL) are started before the sensor loads, as on a machine where the
 * EDR came up after them: the pipeline never sees them start, their children still report their
 * recorded ParentImage and ParentCommandLine, and lineage treats them as parents it never saw.
 */
public final class OwnHostReplay {
  /** How long the host ran before the recording starts: boot, and the processes it names. */
  private static final long BOOTED_BEFORE_NANOS = 60_000_000_000L;

  private OwnHostReplay() {}

  /** What a replay did. */
  public record Result(int events, long telemetryEvents, int refused) {}

  /**
   * Plays {@code recording} as host {@code hostId}, its first event at {@code startNanos}; every
   * telemetry event goes to {@code sink}. {@code beforeEvent} is called with each event's offset
   * before it plays, so a caller can pace the replay against a wall clock.
   */
  public static Result play(
      Recording recording,
      String hostId,
      long startNanos,
      long seed,
      WindowsImages images,
      FileHashCache hashes,
      EventSink sink,
      LongConsumer beforeEvent) {
    Kernel kernel =
        new Kernel(
            new BootParameters(
                seed, startNanos - BOOTED_BEFORE_NANOS, images.ntoskrnl, images.ntdll));
    RecordingPlayer player =
        new RecordingPlayer(
            recording,
            new RecordedHost(kernel),
            new RecordedImages(images.catalog()),
            RootParent.RECORDED);
    player.prepare();
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of(hostId, seed & Long.MAX_VALUE, hashes), sink);
    kernel.ioLoadDriver(images.sensorDriver, true, sensor::driverEntry);
    for (RecordedEvent event : recording.events()) {
      beforeEvent.accept(event.offsetNanos());
      kernel.advanceClockTo(Math.max(kernel.now(), startNanos + event.offsetNanos()));
      player.play(event);
    }
    return new Result(recording.events().size(), sensor.lastSequence(), player.refused());
  }

  /** The recorded machine itself: its accounts as recorded, System under everything unknown. */
  private record RecordedHost(Kernel kernel) implements ReplayTarget {
    @Override
    public ProcessToken token(RecordedAccount account) {
      long logonId =
          account.logonId() != 0
              ? account.logonId()
              : ProcessToken.wellKnownLogonId(account.user());
      return new ProcessToken(account.user(), account.integrity(), account.sessionId(), logonId, 0);
    }

    @Override
    public EProcess adoptiveParent() {
      return kernel.systemProcess();
    }

    @Override
    public EThread broker() {
      return kernel.systemThread();
    }
  }
}
