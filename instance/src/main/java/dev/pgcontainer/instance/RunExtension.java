package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.Supervisor;
import java.util.Map;
import java.util.Optional;

/**
 * An adapter's part in a run (pgBackRest, Citus): hooks at fixed points of a {@link ServerRun},
 * each doing nothing unless overridden. Every run calls {@link #afterReady} (on every member of a
 * cluster, whatever its role, which may change later) and {@link #onStop}; when the launcher runs
 * postgres itself ({@link PostgresRun}) it calls them all, in the order they are declared. A
 * manager program that makes and starts postgres itself (Patroni) leaves the others no place.
 */
public interface RunExtension {

  /**
   * How the cluster is made when PGDATA is empty, instead of initdb; empty to leave it to initdb.
   */
  default Optional<ClusterSource> clusterSource() {
    return Optional.empty();
  }

  /**
   * After the configuration is written, before the server starts; a failure stops the run before
   * anything started.
   *
   * @param newCluster true when this start made the cluster (initdb or {@link #clusterSource()})
   */
  default void beforeStart(PostgresInstance instance, Supervisor supervisor, boolean newCluster) {}

  /**
   * Variables the server process gets on top of the launcher's whitelist, for what the server
   * itself connects to (e.g. {@code PGPASSFILE} for libpq connections between Citus nodes); never a
   * secret itself.
   */
  default Map<String, String> serverEnvironment() {
    return Map.of();
  }

  /**
   * The server accepts connections and has its password, but is not announced ready yet: what
   * clients must find from the first moment (e.g. an extension). A failure stops the server and
   * fails the run.
   */
  default void beforeReady(PostgresInstance instance) {}

  /**
   * Once the server is ready and announced. Must return promptly: the run goes on to supervise, so
   * longer work belongs on the extension's own threads. A failure is logged and the server keeps
   * running.
   */
  default void afterReady(PostgresInstance instance) {}

  /**
   * The server is about to be stopped (before the stop ladder) or has ended: end background work
   * promptly. May be called more than once.
   */
  default void onStop() {}
}
