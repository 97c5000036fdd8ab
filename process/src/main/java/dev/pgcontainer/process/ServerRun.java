package dev.pgcontainer.process;

/**
 * One way of running the server under {@code pgcontainer run}: {@link PostgresRun} supervises postgres itself, {@link
 * PatroniRun} supervises Patroni, which manages postgres. Both honour {@code SLEEP_MODE}.
 */
public interface ServerRun {

  /** The OS user the server runs as when the launcher is started as root, unless told otherwise. */
  String DEFAULT_SERVER_USER = "postgres";

  /** The live state of this run (phase, supervised process), for health probes and metrics. */
  RunState state();

  /** The same run, with the server started as {@code user} when the launcher is root (default postgres). */
  ServerRun withServerUserWhenRoot(String user);

  /** Creates and fixes the server's directories (what {@code pgcontainer prepare} does as root). */
  void prepareDirectories();

  /**
   * Runs the sequence and supervises until the end.
   *
   * @return the launcher's exit code (see {@link Supervisor})
   */
  int run();
}
