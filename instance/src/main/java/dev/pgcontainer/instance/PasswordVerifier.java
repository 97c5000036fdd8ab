package dev.pgcontainer.instance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tells whether a stored role password ({@code pg_authid.rolpassword}) already is a given password,
 * so that applying {@code POSTGRES_PASSWORD} on every start changes nothing (no catalog write, no
 * WAL) when it did not change.
 */
final class PasswordVerifier {

  private PasswordVerifier() {}

  /**
   * True when {@code stored} (SCRAM-SHA-256 or md5 verifier) was made from {@code password} for
   * {@code role}.
   */
  static boolean matches(String stored, String role, String password) {
    if (stored == null) {
      return false;
    }
    try {
      if (stored.startsWith("SCRAM-SHA-256$")) {
        return matchesScram(stored, password);
      }
      if (stored.startsWith("md5") && stored.length() == 35) {
        return MessageDigest.isEqual(
            stored.getBytes(StandardCharsets.US_ASCII),
            ("md5" + md5Hex(password + role)).getBytes(StandardCharsets.US_ASCII));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
    return false;
  }

  /**
   * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, RFC 5802 / PostgreSQL's
   * format.
   */
  private static boolean matchesScram(String stored, String password)
      throws GeneralSecurityException {
    String[] parts = stored.substring("SCRAM-SHA-256$".length()).split("[$:]");
    if (parts.length != 4) {
      return false;
    }
    int iterations = Integer.parseInt(parts[0]);
    byte[] salt = Base64.getDecoder().decode(parts[1]);
    byte[] storedKey = Base64.getDecoder().decode(parts[2]);
    // PostgreSQL SASLprep-normalises the password; plain ASCII is unchanged by it, others may
    // differ: then the password is simply set again, which is harmless.
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    byte[] salted =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    spec.clearPassword();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salted, "HmacSHA256"));
    byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
    byte[] computed = MessageDigest.getInstance("SHA-256").digest(clientKey);
    return MessageDigest.isEqual(computed, storedKey);
  }

  private static String md5Hex(String text) throws GeneralSecurityException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
