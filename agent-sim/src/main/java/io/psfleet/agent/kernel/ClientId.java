package io.psfleet.agent.kernel;

/** CLIENT_ID: a thread named by its process id and thread id. */
public record ClientId(int uniqueProcess, int uniqueThread) {}
