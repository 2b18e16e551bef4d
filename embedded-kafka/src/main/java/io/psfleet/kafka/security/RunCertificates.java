package io.psfleet.kafka.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one run, and the broker's TLS identity signed by it: a PKCS12
 * keystore for the broker (its key, its certificate, the CA) and a PKCS12 truststore holding only
 * the CA, which every client is given. Nothing outlives the run: the CA's key is never written, so
 * no other certificate can be issued under it later.
 *
 * <p>The broker's certificate names {@code 127.0.0.1} and {@code localhost}, the loopback listeners
 * it serves; its subject {@link #BROKER_DN} is also its principal where it connects to its own
 * controller listener with it (mutual TLS), so that principal is a super user.
 */
public final class RunCertificates {
  /** The broker's subject, and its principal on the mutual-TLS controller listener. */
  public static final String BROKER_DN = "CN=psfleet-broker";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Duration VALIDITY = Duration.ofDays(2);

  private final Path keystore;
  private final Path truststore;
  private final String password;

  private RunCertificates(Path keystore, Path truststore, String password) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.password = password;
  }

  /**
   * Issues a new CA and broker certificate into {@code directory} ({@code broker.p12}, {@code
   * truststore.p12}), protected by a random password.
   */
  public static RunCertificates issue(Path directory) {
    SecureRandom random = new SecureRandom();
    String password = Secrets.password();
    try {
      Files.createDirectories(directory);
      KeyPair caKeys = keyPair(random);
      X500Name caName = new X500Name("CN=psfleet run CA,O=psfleet");
      Instant now = Instant.now();
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName,
                      serial(random),
                      Date.from(now.minus(Duration.ofMinutes(5))),
                      Date.from(now.plus(VALIDITY)),
                      caName,
                      caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              caKeys);
      KeyPair brokerKeys = keyPair(random);
      X509Certificate broker =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName,
                      serial(random),
                      Date.from(now.minus(Duration.ofMinutes(5))),
                      Date.from(now.plus(VALIDITY)),
                      new X500Name(BROKER_DN),
                      brokerKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(
                          new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                          })),
              caKeys);
      Path keystore = directory.resolve("broker.p12");
      KeyStore brokerStore = KeyStore.getInstance("PKCS12");
      brokerStore.load(null, null);
      brokerStore.setKeyEntry(
          "broker",
          brokerKeys.getPrivate(),
          password.toCharArray(),
          new Certificate[] {broker, ca});
      brokerStore.setCertificateEntry("ca", ca);
      write(brokerStore, keystore, password);
      Path truststore = directory.resolve("truststore.p12");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      write(trust, truststore, password);
      return new RunCertificates(keystore, truststore, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's certificates to " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the run's certificates: " + e, e);
    }
  }

  /** The broker's PKCS12 keystore: its key and chain. */
  public Path keystore() {
    return keystore;
  }

  /** The PKCS12 truststore with only the run's CA: what clients trust. */
  public Path truststore() {
    return truststore;
  }

  /** The password of both stores and of the broker's key. */
  public String password() {
    return password;
  }

  private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(64, random).abs().add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate())));
  }

  private static void write(KeyStore store, Path file, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
  }
}
