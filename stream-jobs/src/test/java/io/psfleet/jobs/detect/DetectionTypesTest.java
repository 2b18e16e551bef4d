package io.psfleet.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetrySerializer;
import io.psfleet.jobs.event.TelemetryTypeInfo;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Flink serializes the detections' records as POJOs or with their own serializers, never Kryo. */
class DetectionTypesTest {
  @Test
  void alertIsAPojo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(Alert.class);
  }

  @Test
  void enrichedEventIsAPojo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(EnrichedEvent.class);
  }

  @Test
  void telemetryTravelsWithItsHandWrittenSerializerNotKryo() {
    TypeInformation<Telemetry> type = TypeInformation.of(Telemetry.class);

    assertThat(type).isInstanceOf(TelemetryTypeInfo.class);
    assertThat(type.createSerializer(new SerializerConfigImpl()))
        .isInstanceOf(TelemetrySerializer.class);
  }

  @Test
  void theSigmaFunctionSurvivesJavaSerializationWithThePack() throws Exception {
    SigmaFunction function = InstantiationUtil.clone(new SigmaFunction(SigmaRules.defaultPack()));

    assertThat(function).isNotNull();
    assertThat(InstantiationUtil.clone(SigmaRules.defaultPack()))
        .isEqualTo(SigmaRules.defaultPack());
  }
}
