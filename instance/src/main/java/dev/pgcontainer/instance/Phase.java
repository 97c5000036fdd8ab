package dev.pgcontainer.instance;

/**
 * Where the launcher's lifecycle is; health answers depend on it (e.g. not ready, but alive, while
 * initialising).
 */
public enum Phase {
  /** Validating, preparing directories, running initdb. */
  INITIALISING,
  /** The server process runs but does not accept connections yet. */
  STARTING,
  /** The server accepts connections and is supervised. */
  RUNNING,
  /** SLEEP_MODE: nothing runs on purpose. */
  SLEEPING,
  /** A stop signal arrived; the server is being shut down. */
  SHUTTING_DOWN,
  /** The server ended; the launcher is about to exit. */
  STOPPED
}
