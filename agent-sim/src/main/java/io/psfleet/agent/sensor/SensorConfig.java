package io.psfleet.agent.sensor;

import java.util.Objects;
import java.util.Set;

/**
 * One host's sensor settings.
 *
 * @param hostId fleet-unique host id, the events' Kafka key
 * @param bootId identifies this boot; sequence numbers restart with it
 * @param policy which processes to block at creation
 * @param hashes the file-hash cache, shared by every sensor of a fleet
 * @param hashAlgorithms which hashes the events carry (Sysmon's {@code HashAlgorithms}); {@link
 *     HashAlgorithm#DEFAULT} unless set
 */
public record SensorConfig(
    String hostId,
    long bootId,
    String sensorVersion,
    ProcessPolicy policy,
    FileHashCache hashes,
    Set<HashAlgorithm> hashAlgorithms) {

  public static final String VERSION = "psfleet-sensor/0.2";

  public SensorConfig {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(sensorVersion, "sensorVersion");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(hashes, "hashes");
    hashAlgorithms = Set.copyOf(hashAlgorithms);
  }

  public SensorConfig(
      String hostId,
      long bootId,
      String sensorVersion,
      ProcessPolicy policy,
      FileHashCache hashes) {
    this(hostId, bootId, sensorVersion, policy, hashes, HashAlgorithm.DEFAULT);
  }

  public static SensorConfig of(String hostId, long bootId, FileHashCache hashes) {
    return new SensorConfig(hostId, bootId, VERSION, ProcessPolicy.ALLOW_ALL, hashes);
  }

  public SensorConfig withPolicy(ProcessPolicy policy) {
    return new SensorConfig(hostId, bootId, sensorVersion, policy, hashes, hashAlgorithms);
  }

  public SensorConfig withHashAlgorithms(Set<HashAlgorithm> algorithms) {
    return new SensorConfig(hostId, bootId, sensorVersion, policy, hashes, algorithms);
  }
}
