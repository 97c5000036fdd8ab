package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.Supervisor;
import java.nio.file.Path;

/**
 * How a new cluster is made when PGDATA is empty: initdb by default, a restore from a backup
 * repository with pgBackRest. {@link PostgresInstance#initialise(Supervisor, ClusterSource)} calls
 * it inside the init protocol, so a cluster made halfway is discarded, never started.
 */
public interface ClusterSource {

  /** What makes the cluster, for the log, e.g. {@code initdb}. */
  String description();

  /**
   * Makes a complete cluster, shut down cleanly, in {@code target} (inside PGDATA; it does not
   * exist yet) for {@code instance}, whose configuration and server it may use. Long steps run
   * through {@code supervisor}, so that a stop signal ends them; on any failure the caller removes
   * {@code target}.
   */
  void create(PostgresInstance instance, Path target, Supervisor supervisor);
}
