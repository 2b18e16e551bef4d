package io.psfleet.kafka.security;

import java.util.Objects;

/** A SCRAM user of the secure broker. {@link #toString()} does not show the password. */
public record KafkaUser(String name, String password) {
  public KafkaUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "KafkaUser[" + name + "]";
  }
}
