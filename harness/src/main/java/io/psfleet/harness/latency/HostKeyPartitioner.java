package io.psfleet.harness.latency;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * With {@code bench --match key} every record's key is {@code HOST#N}, unique in the run; this
 * partitioner puts it where the host id alone would go with Kafka's default partitioner (murmur2 of
 * the key's bytes), so a host's records stay in one partition, in order, as without unique keys. A
 * key without {@link #SEPARATOR} (ground truth) is hashed whole, as by default.
 */
public final class HostKeyPartitioner implements Partitioner {
  public static final char SEPARATOR = '#';

  /** The unique key of a host's {@code n}th record of the run. */
  public static String key(String hostId, long n) {
    return hostId + SEPARATOR + n;
  }

  /** The partition Kafka's default partitioner gives a record keyed with the host id. */
  public static int partition(String key, int partitions) {
    int cut = key.indexOf(SEPARATOR);
    String host = cut < 0 ? key : key.substring(0, cut);
    return Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    int partitions = cluster.partitionCountForTopic(topic);
    if (key == null) {
      return Utils.toPositive(Utils.murmur2(valueBytes)) % partitions;
    }
    return partition(key.toString(), partitions);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
