package io.psfleet.jobs.io;

import io.psfleet.jobs.event.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink's type information for {@link RawTelemetry}: serialized by {@link RawTelemetrySerializer}.
 */
public final class RawTelemetryTypeInfo extends SerializerTypeInfo<RawTelemetry> {
  private static final long serialVersionUID = 1L;

  public RawTelemetryTypeInfo() {
    super(RawTelemetry.class, new RawTelemetrySerializer());
  }

  /** Picked up through {@code @TypeInfo} on {@link RawTelemetry}. */
  public static final class Factory extends TypeInfoFactory<RawTelemetry> {
    @Override
    public TypeInformation<RawTelemetry> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> parameters) {
      return new RawTelemetryTypeInfo();
    }
  }
}
