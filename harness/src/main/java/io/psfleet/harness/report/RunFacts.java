package io.psfleet.harness.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions and machine facts a report records so a reader can reproduce the run. */
public final class RunFacts {
  private RunFacts() {}

  public static Map<String, String> environment() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("psfleet", io.psfleet.commandline.Commands.version());
    c.put("flink", org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
    c.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
    c.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    c.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    c.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    c.put("max heap MiB", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
    return c;
  }
}
