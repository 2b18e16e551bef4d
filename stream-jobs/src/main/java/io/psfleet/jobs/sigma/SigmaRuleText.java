package io.psfleet.jobs.sigma;

import java.io.Serializable;

/**
 * One Sigma rule file as the job ships it to the cluster: where it came from and its text.
 *
 * @param source the file's path where the job was defined, for load messages
 * @param yaml the file's text (one or more YAML documents)
 */
public record SigmaRuleText(String source, String yaml) implements Serializable {}
