package io.psfleet.jobs.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.detect.DetectionConfig;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Flink keeps the fleet state as POJOs, never through Kryo. */
class FleetTypesTest {
  @Test
  void fleetModuleIsAPojo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(FleetModule.class);
  }

  @Test
  void hostSightingIsAPojo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(HostSighting.class);
  }

  @Test
  void functionSurvivesJavaSerialization() throws Exception {
    assertThat(InstantiationUtil.clone(new FleetRareModuleFunction(DetectionConfig.defaults())))
        .isNotNull();
  }
}
