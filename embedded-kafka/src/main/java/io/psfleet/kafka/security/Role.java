package io.psfleet.kafka.security;

import io.psfleet.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who talks to psfleet's Kafka, and the least each may do (ACLs for KRaft's {@code
 * StandardAuthorizer}; anything not granted is denied):
 *
 * <ul>
 *   <li>{@link #AGENT} (a simulator shard): write telemetry and ground truth, idempotently;
 *   <li>{@link #JOB} (the detection job): read telemetry with its group, write alerts and dead
 *       letters, in transactions under its own transactional-id prefix; read the rule set (without
 *       a group: the job keeps its rules topic offsets in its own checkpoints) and write its
 *       acknowledgements;
 *   <li>{@link #SOC}: read alerts with its group; push rule sets ({@code rules push}: write the
 *       rules topic, read the acknowledgements without a group). The detection team is the SOC:
 *       agents, which anyone who owns a host can impersonate, may never change what is detected.
 * </ul>
 *
 * Idempotent writes need only WRITE on the topic since Kafka 3.0 (KIP-679): no cluster grant.
 */
public enum Role {
  AGENT("psfleet-agent"),
  JOB("psfleet-job"),
  SOC("psfleet-soc");

  private final String user;

  Role(String user) {
    this.user = user;
  }

  /** The SCRAM user name of this role. */
  public String user() {
    return user;
  }

  /** The ACLs of this role; {@code group} is the consumer group (and transactional-id prefix). */
  public List<AclBinding> acls(String group) {
    List<AclBinding> acls = new ArrayList<>();
    switch (this) {
      case AGENT -> {
        topic(acls, Topics.TELEMETRY, AclOperation.WRITE, AclOperation.DESCRIBE);
        topic(acls, Topics.GROUND_TRUTH, AclOperation.WRITE, AclOperation.DESCRIBE);
      }
      case JOB -> {
        topic(acls, Topics.TELEMETRY, AclOperation.READ, AclOperation.DESCRIBE);
        topic(acls, Topics.ALERTS, AclOperation.WRITE, AclOperation.DESCRIBE);
        topic(acls, Topics.DEAD_LETTER, AclOperation.WRITE, AclOperation.DESCRIBE);
        topic(acls, Topics.RULES, AclOperation.READ, AclOperation.DESCRIBE);
        topic(acls, Topics.RULE_ACKS, AclOperation.WRITE, AclOperation.DESCRIBE);
        grant(
            acls,
            new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
            AclOperation.READ);
        grant(
            acls,
            new ResourcePattern(ResourceType.TRANSACTIONAL_ID, group, PatternType.PREFIXED),
            AclOperation.WRITE,
            AclOperation.DESCRIBE);
      }
      case SOC -> {
        topic(acls, Topics.ALERTS, AclOperation.READ, AclOperation.DESCRIBE);
        topic(acls, Topics.RULES, AclOperation.WRITE, AclOperation.DESCRIBE);
        topic(acls, Topics.RULE_ACKS, AclOperation.READ, AclOperation.DESCRIBE);
        grant(
            acls,
            new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
            AclOperation.READ);
      }
    }
    return acls;
  }

  private void topic(List<AclBinding> acls, String topic, AclOperation... operations) {
    grant(acls, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), operations);
  }

  private void grant(List<AclBinding> acls, ResourcePattern resource, AclOperation... operations) {
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              resource,
              new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }
  }
}
