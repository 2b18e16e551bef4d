package io.psfleet.kafka.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * One run's Kafka security, for one broker in this JVM or a cluster of broker processes alike: a CA
 * made for the run ({@link RunCertificates}), SASL/SCRAM-SHA-512 over TLS on every client listener,
 * mutual TLS on the controller listener, KRaft's {@code StandardAuthorizer} with nothing allowed
 * that an ACL does not grant, and a super user ({@link #ADMIN_USER}) that the brokers use among
 * themselves and the operator uses to set up topics and users.
 *
 * <p>Every node of a cluster gets the same broker identity: they all serve loopback, which its
 * certificate names.
 */
public final class KafkaSecurity {
  /** The brokers' own SCRAM user: a super user, also what topic set-up and provisioning use. */
  public static final String ADMIN_USER = "psfleet-admin";

  /** The one SASL mechanism every listener offers. */
  public static final String SCRAM = "SCRAM-SHA-512";

  private final RunCertificates certificates;
  private final KafkaUser admin;

  private KafkaSecurity(RunCertificates certificates, KafkaUser admin) {
    this.certificates = certificates;
    this.admin = admin;
  }

  /** Issues the run's CA and broker certificate into {@code directory} and an admin password. */
  public static KafkaSecurity issue(Path directory) {
    return new KafkaSecurity(
        RunCertificates.issue(directory), new KafkaUser(ADMIN_USER, Secrets.password()));
  }

  /** The super user {@link #ADMIN_USER}. */
  public KafkaUser admin() {
    return admin;
  }

  /**
   * The broker settings of one node: {@code clientListeners} (listener name to port, the first is
   * also the inter-broker listener) on SASL_SSL, advertised on loopback, and the controller
   * listener on mutual TLS, where the brokers are {@link RunCertificates#BROKER_DN}. Both
   * identities are super users; everyone else gets only what ACLs grant, and nobody anonymous.
   */
  public Map<String, String> brokerProperties(
      Map<String, Integer> clientListeners, int controllerPort) {
    return brokerProperties(clientListeners, Map.of(), controllerPort);
  }

  /**
   * As {@link #brokerProperties(Map)}, with some listeners advertised at another loopback port than
   * the one they bind ({@code advertisedPorts}: listener name to port), for clients that reach the
   * broker through a relay.
   */
  public Map<String, String> brokerProperties(
      Map<String, Integer> clientListeners,
      Map<String, Integer> advertisedPorts,
      int controllerPort) {
    if (clientListeners.isEmpty()) {
      throw new IllegalArgumentException("a broker needs at least one client listener");
    }
    List<String> listeners = new ArrayList<>();
    List<String> advertised = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    Map<String, String> p = new LinkedHashMap<>();
    clientListeners.forEach(
        (name, port) -> {
          listeners.add(name + "://127.0.0.1:" + port);
          advertised.add(name + "://127.0.0.1:" + advertisedPorts.getOrDefault(name, port));
          protocols.add(name + ":SASL_SSL");
          // The broker side of SCRAM needs a login context on every SASL listener.
          p.put(
              "listener.name." + name.toLowerCase(Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
              jaas(admin));
        });
    p.put("listeners", String.join(",", listeners) + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", String.join(",", advertised));
    p.put("listener.security.protocol.map", String.join(",", protocols) + ",CONTROLLER:SSL");
    p.put("inter.broker.listener.name", clientListeners.keySet().iterator().next());
    p.put("sasl.enabled.mechanisms", SCRAM);
    p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", certificates.keystore().toString());
    p.put("ssl.keystore.password", certificates.password());
    p.put("ssl.key.password", certificates.password());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", certificates.truststore().toString());
    p.put("ssl.truststore.password", certificates.password());
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + ADMIN_USER + ";User:" + RunCertificates.BROKER_DN);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /**
   * What {@code kafka-storage format} needs besides the cluster id and config file: the admin's
   * SCRAM credential, which the brokers authenticate to each other with before any metadata exists.
   */
  public List<String> formatArguments() {
    return List.of(
        "--add-scram", SCRAM + "=[name=" + ADMIN_USER + ",password=" + admin.password() + "]");
  }

  /**
   * Kafka client settings to connect as {@code user}: SASL/SCRAM-SHA-512 over TLS trusting only
   * this run's CA (bootstrap servers not included).
   */
  public Map<String, Object> clientSettings(KafkaUser user) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", SCRAM);
    settings.put("sasl.jaas.config", jaas(user));
    settings.put("ssl.truststore.type", "PKCS12");
    settings.put("ssl.truststore.location", certificates.truststore().toString());
    settings.put("ssl.truststore.password", certificates.password());
    return settings;
  }

  /**
   * Creates the SCRAM user of {@code role} with a new random password on the cluster at {@code
   * bootstrap} (connecting as {@link #ADMIN_USER}) and grants it exactly the role's ACLs ({@link
   * Role#acls}); {@code group} is its consumer group and transactional-id prefix.
   */
  public KafkaUser provision(String bootstrap, Role role, String group) {
    KafkaUser user = new KafkaUser(role.user(), Secrets.password());
    Map<String, Object> settings = new LinkedHashMap<>(clientSettings(admin));
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin client = Admin.create(settings)) {
      client
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user.name(),
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      user.password())))
          .all()
          .get(30, TimeUnit.SECONDS);
      client.createAcls(role.acls(group)).all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning " + user.name(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot provision " + user.name() + " on " + bootstrap + ": " + e.getCause(), e);
    }
    return user;
  }

  /**
   * Writes {@code user}'s {@link #clientSettings} to {@code file} as a Kafka client properties
   * file, the form every psfleet command takes with {@code --kafka-config}; readable by the owner
   * only, since it holds the password.
   */
  public Path writeClientProperties(KafkaUser user, Path file, String bootstrap) {
    Properties p = new Properties();
    clientSettings(user).forEach((k, v) -> p.setProperty(k, v.toString()));
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "psfleet: Kafka client settings of " + user.name() + " for " + bootstrap);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps its default permissions.
    }
    return file;
  }

  private static String jaas(KafkaUser user) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user.name()
        + "\" password=\""
        + user.password()
        + "\";";
  }
}
