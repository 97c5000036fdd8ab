package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.Supervisor;
import java.util.Optional;

/**
 * One way of running the server under {@code pgcontainer run}: {@link PostgresRun} supervises postgres itself, {@link
 * PatroniRun} supervises Patroni, which manages postgres. Both honour {@code SLEEP_MODE}.
 */
public interface ServerRun {

  /** The OS user the server runs as when the launcher is started as root, unless told otherwise. */
  String DEFAULT_SERVER_USER = "postgres";

  /** The live state of this run (phase, supervised process), for health probes and metrics. */
  RunState state();

  /**
   * The launcher's door for one-shot commands, which the parts of the run {@link LauncherRequests#serve serve} theirs
   * on; it listens from when the run has made its directories until the run ends.
   */
  LauncherRequests requests();

  /** The same run, with the server started as {@code user} when the launcher is root (default postgres). */
  ServerRun withServerUserWhenRoot(String user);

  /**
   * The same run for a program that embeds it: the JVM's signals stay that program's, and {@link
   * RunState#requestStop} stops the run.
   */
  ServerRun withoutSignalHandlers();

  /** The OS user the server will run as, and whether the launcher must switch to it. */
  ServerUser serverUser();

  /**
   * The same run with an adapter's hooks added after the others (see {@link RunExtension} for which hooks each run
   * calls).
   */
  ServerRun withExtension(RunExtension extension);

  /** The extension of {@code type} added to this run, if any, e.g. to read its state for health and metrics. */
  <T extends RunExtension> Optional<T> extension(Class<T> type);

  /** Creates and fixes the server's directories (what {@code pgcontainer prepare} does as root). */
  void prepareDirectories();

  /**
   * Runs the sequence and supervises until the end.
   *
   * @return the launcher's exit code (see {@link Supervisor})
   */
  int run();
}
