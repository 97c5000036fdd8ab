package dev.pgcontainer.core;

/**
 * Base of every error pgcontainer raises on purpose. Messages are written for the operator: they
 * say what is wrong and what to do, and never contain a secret.
 */
public class PgcontainerException extends RuntimeException {

  public PgcontainerException(String message) {
    super(message);
  }

  public PgcontainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
