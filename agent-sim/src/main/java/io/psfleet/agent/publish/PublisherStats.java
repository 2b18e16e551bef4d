package io.psfleet.agent.publish;

/**
 * What a publisher has done so far. Once {@link TelemetryPublisher#flush()} has returned, every
 * record sent is either delivered or failed: {@code sent == delivered + failed}.
 *
 * @param sent records handed to {@link TelemetryPublisher#send} or {@code sendGroundTruth}
 * @param delivered records the destination acknowledged
 * @param failed records that could not be delivered (after the destination's own retries)
 * @param bytes value bytes handed over
 * @param blockedNanos time {@code send} spent blocked on a full buffer: the back-pressure felt
 * @param firstError the first delivery failure, or null
 */
public record PublisherStats(
    long sent, long delivered, long failed, long bytes, long blockedNanos, String firstError) {}
