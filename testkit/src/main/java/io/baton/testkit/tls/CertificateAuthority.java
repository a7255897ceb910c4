package io.baton.testkit.tls;

import io.baton.testkit.MissingToolException;
import io.baton.testkit.process.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A certificate authority made for one test or demo run (ECDSA P-256, valid for two days), whose
 * files live in a directory of the caller's: removing that directory removes it. It issues
 * server certificates for the host names and addresses a client verifies ({@code
 * sslmode=verify-full}, https).
 */
public final class CertificateAuthority {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String OPENSSL = "/usr/bin/openssl";

  private final Path directory;

  private CertificateAuthority(Path directory) {
    this.directory = directory;
  }

  /** A server's certificate (PEM, with its chain's end) and its unencrypted private key (PKCS#8). */
  public record ServerCertificate(Path certificate, Path key) {}

  /**
   * A new authority, {@code ca.crt} and {@code ca.key} in {@code directory}.
   *
   * @throws MissingToolException when openssl is not installed
   */
  public static CertificateAuthority create(Path directory, String name) {
    if (!Files.isExecutable(Path.of(OPENSSL))) {
      throw new MissingToolException("openssl is needed to make test certificates: install it with"
          + " apt-get install openssl");
    }
    CertificateAuthority ca = new CertificateAuthority(directory);
    openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
        "-keyout", "ca.key", "-out", "ca.crt",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** The authority's certificate: what a client trusts. */
  public Path certificate() {
    return directory.resolve("ca.crt");
  }

  /**
   * A server certificate, {@code <name>.crt} and {@code <name>.key}, valid for {@code hosts}
   * (IP addresses become IP subject alternative names, the others DNS names).
   */
  public ServerCertificate issue(String name, List<String> hosts) {
    String names = hosts.stream()
        .map(h -> (h.matches("[0-9.]+") || h.contains(":") ? "IP:" : "DNS:") + h)
        .collect(Collectors.joining(","));
    openssl(directory, "req", "-x509", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=" + hosts.get(0), "-keyout", name + ".key", "-out", name + ".crt",
        "-addext", "subjectAltName=" + names,
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
        "-addext", "extendedKeyUsage=serverAuth");
    return new ServerCertificate(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
  }

  /**
   * Deletes the authority's private key: no certificate can be issued any more, so the
   * certificates already issued are all it ever vouches for.
   */
  public void forgetKey() {
    try {
      Files.deleteIfExists(directory.resolve("ca.key"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not delete the CA key in " + directory, e);
    }
  }

  private static void openssl(Path directory, String... args) {
    List<String> command = new ArrayList<>(List.of(OPENSSL));
    command.addAll(List.of(args));
    Command.of(command).directory(directory).timeout(TIMEOUT).runOrThrow();
  }
}
