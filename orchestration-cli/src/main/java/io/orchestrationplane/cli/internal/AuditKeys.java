package io.orchestrationplane.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Ed25519 public key that signed an audit log's checkpoints, as an auditor is given it:
 * an X.509 SubjectPublicKeyInfo, PEM ({@code -----BEGIN PUBLIC KEY-----}, what {@code openssl pkey
 * -pubout} and Java's {@code PublicKey.getEncoded()} in base64 give) or the same bytes as DER.
 */
final class AuditKeys {
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private AuditKeys() {}

  static PublicKey readPublicKey(Path file) {
    String shown = Paths.display(file);
    if (!Files.isRegularFile(file)) {
      throw CliException.invalid(shown + (Files.exists(file) ? ": not a regular file" : ": no such file") + " (--public-key)");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.invalid(shown + ": cannot be read (--public-key): " + e.getMessage());
    }
    byte[] der = bytes;
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN ")) {
      Matcher m = PEM.matcher(text);
      if (!m.find()) {
        throw CliException.invalid(shown + ": not a valid PEM file (--public-key)");
      }
      if (!m.group(1).equals("PUBLIC KEY")) {
        throw CliException.invalid(shown + ": holds a " + m.group(1) + ", not a PUBLIC KEY (--public-key): give the "
            + "Ed25519 public key as X.509 SubjectPublicKeyInfo, e.g. `openssl pkey -in KEY -pubout`");
      }
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw CliException.invalid(shown + ": the PEM body is not base64 (--public-key)");
      }
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw CliException.invalid(shown + ": not an Ed25519 public key (X.509 SubjectPublicKeyInfo, PEM or DER) "
          + "(--public-key)");
    }
  }
}
