package io.psfleet.jobs.io;

import io.psfleet.jobs.sigma.RuleSetVersion;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records of the rules topic as rule set versions ({@link RulesTopic#decode}): the version is the
 * record's offset + 1, and a record that holds no rule set is passed on as a refused version, so
 * that the pusher hears why.
 */
public final class RuleSetDeserializationSchema
    implements KafkaRecordDeserializationSchema<RuleSetVersion> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleSetVersion> out) {
    out.collect(RulesTopic.decode(record.offset(), record.value()));
  }

  @Override
  public TypeInformation<RuleSetVersion> getProducedType() {
    return TypeInformation.of(RuleSetVersion.class);
  }
}
