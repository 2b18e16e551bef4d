package io.psfleet.jobs.alert;

/**
 * A module named in an alert.
 *
 * @param fleetHosts hosts of the fleet this module (by hash) has been seen on, when known; 0
 *     otherwise
 */
public record ModuleRef(
    String path, String sha256, boolean signed, String signer, int fleetHosts) {}
