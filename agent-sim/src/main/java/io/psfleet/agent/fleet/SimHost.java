package io.psfleet.agent.fleet;

import io.psfleet.agent.antivirus.AntivirusDriver;
import io.psfleet.agent.antivirus.FaultyDriver;
import io.psfleet.agent.kernel.BootParameters;
import io.psfleet.agent.kernel.BugCheck;
import io.psfleet.agent.kernel.BugCheckException;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.Irql;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.scenario.GroundTruthRecord;
import io.psfleet.agent.scenario.ScenarioHost;
import io.psfleet.agent.scenario.ScenarioPlan.Injection;
import io.psfleet.agent.sensor.HashAlgorithm;
import io.psfleet.agent.sensor.ProcessKeys;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.UserNames;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.TelemetryEvent;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One simulated host of the fleet: until its boot time only a few fields; from then on a kernel,
 * the sensor driver (and any other drivers of its load order) and the workload. Advanced by one
 * worker thread at a time.
 */
final class SimHost implements ScenarioHost {
  private final int index;
  private final String hostId;
  private final HostProfile profile;
  private final long seed;
  private final long bootAt;
  private final List<Injection> injections;
  private final boolean bootTelemetry;
  private final Set<HashAlgorithm> hashAlgorithms;
  private final List<HostDriver> drivers;
  private final boolean lsassRunAsPpl;
  private Kernel kernel;
  private SensorDriver sensor;
  private HostWorkload workload;
  private long bootId;
  private long hostSalt;
  private BugCheck bugCheck;
  private TickBuffer out;
  private Function<TelemetryEvent, byte[]> encoder;

  SimHost(
      int index,
      HostProfile profile,
      long seed,
      long bootAt,
      List<Injection> injections,
      boolean bootTelemetry,
      Set<HashAlgorithm> hashAlgorithms,
      List<HostDriver> drivers,
      boolean lsassRunAsPpl) {
    this.index = index;
    this.drivers = drivers;
    this.lsassRunAsPpl = lsassRunAsPpl;
    this.bootTelemetry = bootTelemetry;
    this.hashAlgorithms = hashAlgorithms;
    this.hostId = hostId(index);
    this.profile = profile;
    this.seed = seed;
    this.bootAt = bootAt;
    this.injections = injections;
  }

  /** The fleet-wide host id of the host with 0-based index {@code index}. */
  static String hostId(int index) {
    return String.format("host-%06d", index + 1);
  }

  /**
   * Advances the host to {@code tickEnd}, booting it first when its boot time has come; events go
   * to {@code out}. A bug check stops the host for good; it is kept for the report.
   *
   * @return true if the host bug checked during this call
   */
  boolean advance(
      long tickEnd, TickBuffer out, Function<TelemetryEvent, byte[]> encoder, FleetAssets assets) {
    if (bugCheck != null || (kernel == null && bootAt > tickEnd)) {
      return false;
    }
    this.out = out;
    this.encoder = encoder;
    try {
      if (kernel == null) {
        boot(assets);
      }
      workload.advanceTo(tickEnd);
      return false;
    } catch (BugCheckException e) {
      bugCheck = e.bugCheck();
      return true;
    }
  }

  private void boot(FleetAssets assets) {
    SplittableRandom random = new SplittableRandom(seed);
    long aslrSalt = random.nextLong();
    // Half the fleet raises thread notifications at APC_LEVEL, as the documentation allows, so
    // that the sensor's deferred path runs at scale; a bit of the salt picks them without drawing
    // from the host's random stream, which would change every later event.
    Irql threadNotifyIrql = (aslrSalt & 1) == 0 ? Irql.PASSIVE_LEVEL : Irql.APC_LEVEL;
    kernel =
        new Kernel(
            new BootParameters(
                aslrSalt,
                bootAt,
                assets.images().ntoskrnl,
                assets.images().ntdll,
                threadNotifyIrql));
    bootId = random.nextLong() & Long.MAX_VALUE;
    hostSalt = ProcessKeys.hostSalt(hostId);
    sensor =
        new SensorDriver(
            SensorConfig.of(hostId, bootId, assets.hashes()).withHashAlgorithms(hashAlgorithms),
            this::emit);
    String user = UserNames.POOL.get(random.nextInt(UserNames.POOL.size()));
    workload =
        new HostWorkload(
            kernel, assets.images(), assets.programs(), profile, user, random.nextLong());
    if (lsassRunAsPpl) {
      workload.runLsassAsPpl();
    }
    if (bootTelemetry) {
      loadDrivers(assets);
      workload.boot();
    } else {
      workload.boot();
      loadDrivers(assets);
    }
    for (Injection injection : injections) {
      workload.schedule(
          injection.atNanos(), () -> injection.scenario().start(this, injection.scenarioId()));
    }
  }

  /**
   * Loads the host's drivers in their order. A driver whose DriverEntry fails is simply not loaded,
   * as on Windows; one that bug checks the host halts it here.
   */
  private void loadDrivers(FleetAssets assets) {
    for (HostDriver driver : drivers) {
      switch (driver) {
        case SENSOR -> kernel.ioLoadDriver(assets.images().sensorDriver, true, sensor::driverEntry);
        case ANTIVIRUS ->
            kernel.ioLoadDriver(
                assets.images().antivirusDriver,
                true,
                new AntivirusDriver(AntivirusDriver.CREDENTIAL_THEFT_TOOLS)::driverEntry);
        case FAILING_ENTRY ->
            kernel.ioLoadDriver(
                assets.images().faultyDriver,
                false,
                new FaultyDriver(FaultyDriver.Fault.FAILING_ENTRY)::driverEntry);
        case IRQL_FAULT ->
            kernel.ioLoadDriver(
                assets.images().faultyDriver,
                false,
                new FaultyDriver(FaultyDriver.Fault.IRQL_ABOVE_BOUND)::driverEntry);
      }
    }
  }

  private void emit(TelemetryEvent event) {
    byte[] record = encoder.apply(event);
    // A Sysmon format has no record for what Sysmon does not log (thread exits, local threads).
    if (record != null) {
      out.add(hostId, record);
    }
  }

  boolean booted() {
    return kernel != null;
  }

  BugCheck bugCheck() {
    return bugCheck;
  }

  int index() {
    return index;
  }

  // ---------------------------------------------------------------- ScenarioHost

  @Override
  public HostWorkload workload() {
    return workload;
  }

  @Override
  public String hostId() {
    return hostId;
  }

  @Override
  public long bootId() {
    return bootId;
  }

  @Override
  public long processKey(EProcess process) {
    return ProcessKeys.processKey(
        hostSalt,
        bootId,
        kernel.psGetProcessId(process),
        kernel.psGetProcessCreateTimeQuadPart(process));
  }

  @Override
  public long lastSequence() {
    return sensor.lastSequence();
  }

  @Override
  public void recordGroundTruth(GroundTruthRecord record) {
    out.addTruth(
        hostId,
        new GroundTruth(
            record.scenarioId(),
            record.scenario(),
            record.technique(),
            record.attack() ? GroundTruthLabel.ATTACK : GroundTruthLabel.BENIGN_LOOKALIKE,
            record.hostId(),
            record.bootId(),
            record.processKeys(),
            record.eventSequences(),
            record.timeNanos(),
            record.description()));
  }
}
