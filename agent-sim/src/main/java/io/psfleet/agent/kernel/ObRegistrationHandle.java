package io.psfleet.agent.kernel;

/** What ObRegisterCallbacks returns: a status and, on success, the RegistrationHandle. */
public record ObRegistrationHandle(NtStatus status, Object registrationHandle) {}
