package io.psfleet.jobs.event;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink's type information for {@link Telemetry}: serialized by {@link TelemetrySerializer}. */
public final class TelemetryTypeInfo extends SerializerTypeInfo<Telemetry> {
  private static final long serialVersionUID = 1L;

  public TelemetryTypeInfo() {
    super(Telemetry.class, TelemetrySerializer.INSTANCE);
  }

  /** Picked up through {@code @TypeInfo} on {@link Telemetry}. */
  public static final class Factory extends TypeInfoFactory<Telemetry> {
    @Override
    public TypeInformation<Telemetry> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> parameters) {
      return new TelemetryTypeInfo();
    }
  }
}
