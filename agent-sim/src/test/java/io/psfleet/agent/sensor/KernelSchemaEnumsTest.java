package io.psfleet.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.kernel.SeImageSignatureType;
import io.psfleet.agent.kernel.SeSigningLevel;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sensor maps kernel enums to schema enums by ordinal or name; these must stay aligned. */
class KernelSchemaEnumsTest {
  @Test
  void signingLevelsAlignByOrdinal() {
    assertThat(Arrays.stream(SigningLevel.values()).map(Enum::name))
        .containsExactlyElementsOf(Arrays.stream(SeSigningLevel.values()).map(Enum::name).toList());
  }

  @Test
  void signatureTypesAlignByOrdinal() {
    assertThat(Arrays.stream(SignatureType.values()).map(Enum::name))
        .containsExactlyElementsOf(
            Arrays.stream(SeImageSignatureType.values()).map(Enum::name).toList());
  }

  @Test
  void everyKernelIntegrityLevelHasASchemaTwin() {
    for (ProcessToken.IntegrityLevel level : ProcessToken.IntegrityLevel.values()) {
      assertThat(IntegrityLevel.valueOf(level.name())).isNotNull();
    }
  }
}
