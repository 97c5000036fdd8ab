package dev.pgcontainer.process;

/**
 * A step of {@code run} between writing the configuration and starting the server (seed order: directories, database,
 * config, backup, startup). Adapters such as pgBackRest plug in here.
 */
@FunctionalInterface
public interface BeforeStartStep {

  /**
   * @param newCluster true when this start made the cluster (initdb or restore)
   */
  void run(PostgresInstance instance, Supervisor supervisor, boolean newCluster);
}
