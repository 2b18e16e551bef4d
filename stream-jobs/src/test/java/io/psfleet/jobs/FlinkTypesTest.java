package io.psfleet.jobs;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.Envelope;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.HostState;
import io.psfleet.jobs.lineage.ProcessNode;
import io.psfleet.jobs.lineage.SequenceAnomaly;
import io.psfleet.jobs.lineage.SequenceTracker;
import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.sigma.correlation.CorrelationState;
import io.psfleet.sigma.correlation.Observation;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * The jobs' stream and state types are POJOs to Flink, no silent fallback to Kryo; {@link
 * Telemetry} has its own serializer.
 */
class FlinkTypesTest {
  @Test
  void telemetryUsesItsOwnSerializer() {
    org.assertj.core.api.Assertions.assertThat(
            org.apache.flink.api.common.typeinfo.TypeInformation.of(Telemetry.class))
        .isInstanceOf(io.psfleet.jobs.event.TelemetryTypeInfo.class);
  }

  @Test
  void streamAndStateTypesSerializeAsPojos() {
    PojoTestUtils.assertSerializedAsPojo(Ancestor.class);
    PojoTestUtils.assertSerializedAsPojo(EnrichedEvent.class);
    PojoTestUtils.assertSerializedAsPojo(DeadLetter.class);
    PojoTestUtils.assertSerializedAsPojo(Envelope.class);
    PojoTestUtils.assertSerializedAsPojo(ProcessNode.class);
    PojoTestUtils.assertSerializedAsPojo(SequenceTracker.class);
    PojoTestUtils.assertSerializedAsPojo(HostState.class);
    PojoTestUtils.assertSerializedAsPojo(Observation.class);
    PojoTestUtils.assertSerializedAsPojo(CorrelationState.class);
    PojoTestUtils.assertSerializedAsPojo(SequenceAnomaly.class);
    // Broadcast state and the acknowledgements' side output: a Kryo fallback would also make the
    // savepoint's rule set unreadable after a change of Kryo.
    PojoTestUtils.assertSerializedAsPojo(RuleSetVersion.class);
    PojoTestUtils.assertSerializedAsPojo(RuleSetAck.class);
  }
}
