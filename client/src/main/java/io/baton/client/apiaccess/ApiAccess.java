package io.baton.client.apiaccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a Baton tool needs to call an agent's or the coordinator's API: the token it presents,
 * and the certificate authorities it trusts for https (else the JDK's). From the environment:
 * {@value #TOKEN_FILE_VARIABLE} (a file holding the token) or {@value #TOKEN_VARIABLE} (the token
 * itself), and {@value #CA_FILE_VARIABLE} (PEM certificates). Never from a command line, where
 * every user of the machine could read it.
 */
public record ApiAccess(Optional<ApiToken> token, Optional<Path> caFile) {
  public static final String TOKEN_FILE_VARIABLE = "BATON_API_TOKEN_FILE";
  public static final String TOKEN_VARIABLE = "BATON_API_TOKEN";
  public static final String CA_FILE_VARIABLE = "BATON_API_CA_FILE";

  public ApiAccess {
    token = token == null ? Optional.empty() : token;
    caFile = caFile == null ? Optional.empty() : caFile;
  }

  /** No token, the JDK's certificate authorities. */
  public static ApiAccess anonymous() {
    return new ApiAccess(Optional.empty(), Optional.empty());
  }

  /**
   * From the variables above; a token file wins over a token in the environment.
   *
   * @throws IllegalArgumentException or {@link UncheckedIOException} with a message naming the
   *     variable when a token is unreadable or unfit
   */
  public static ApiAccess fromEnvironment(Map<String, String> environment) {
    Optional<ApiToken> token = Optional.ofNullable(environment.get(TOKEN_FILE_VARIABLE))
        .filter(s -> !s.isBlank())
        .map(file -> ApiToken.fromFile("the token file " + TOKEN_FILE_VARIABLE + " names,",
            Path.of(file)))
        .or(() -> Optional.ofNullable(environment.get(TOKEN_VARIABLE))
            .filter(s -> !s.isBlank())
            .map(value -> ApiToken.of(TOKEN_VARIABLE, value)));
    Optional<Path> ca = Optional.ofNullable(environment.get(CA_FILE_VARIABLE))
        .filter(s -> !s.isBlank())
        .map(Path::of);
    return new ApiAccess(token, ca);
  }

  /** An HTTP client that trusts the configured authorities. */
  public HttpClient httpClient(Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    caFile.ifPresent(file -> builder.sslContext(trusting(file)));
    return builder.build();
  }

  /** {@code request} with the token, if there is one. */
  public HttpRequest.Builder authorize(HttpRequest.Builder request) {
    token.ifPresent(t -> request.header("Authorization", t.authorizationHeader()));
    return request;
  }

  /** What a refusal means, for a message to the operator. */
  public String hintFor(int status) {
    return switch (status) {
      case 401 -> token.isEmpty()
          ? " (no token: set " + TOKEN_FILE_VARIABLE + " to a file holding the API token)"
          : " (the token was not accepted)";
      case 403 -> " (the token's role may not do this)";
      default -> "";
    };
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(CA_FILE_VARIABLE + " " + caFile
            + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CA_FILE_VARIABLE + " " + caFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(CA_FILE_VARIABLE + " " + caFile
          + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }
}
