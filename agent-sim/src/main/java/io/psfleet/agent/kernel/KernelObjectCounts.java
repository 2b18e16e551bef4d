package io.psfleet.agent.kernel;

/**
 * What a host's object table holds. A zombie is an exited process or thread kept alive by a
 * reference somebody has not released; {@code references} counts every outstanding reference.
 */
public record KernelObjectCounts(
    int processes, int zombieProcesses, int threads, int zombieThreads, long references) {}
