package io.psfleet.agent.sensor;

/**
 * Decides whether the sensor blocks a process at creation, as the seed driver's {@code IsMalicious}
 * does: a blocked process gets STATUS_ACCESS_DENIED in its CreationStatus.
 */
@FunctionalInterface
public interface ProcessPolicy {
  ProcessPolicy ALLOW_ALL = (image, commandLine) -> false;

  boolean isMalicious(String imagePath, String commandLine);
}
