package io.psfleet.jobs.alert;

import io.psfleet.jobs.lineage.Ancestor;

/** A process named in an alert, with its ancestry (parent first). */
public record ProcessRef(
    long key, int processId, String image, String commandLine, String user, Ancestor[] ancestry) {}
