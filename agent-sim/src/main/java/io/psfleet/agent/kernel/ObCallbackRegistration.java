package io.psfleet.agent.kernel;

import java.util.List;

/**
 * OB_CALLBACK_REGISTRATION: the driver's altitude (unique on the host, as Microsoft assigns them)
 * and its operation registrations. Callbacks run in altitude order, highest first.
 */
public record ObCallbackRegistration(String altitude, List<ObOperationRegistration> operations) {}
