package dev.pgcontainer.citus;

/** Where a worker's registration with its coordinator stands. */
enum RegistrationState {
  /**
   * Not asked for (a coordinator, or a worker without {@code CITUS_AUTO_REGISTER_WORKERS}), or not
   * started yet.
   */
  NOT_REGISTERED,
  /** Trying, with backoff, until the coordinator takes the worker or the budget is spent. */
  REGISTERING,
  /** The coordinator lists this worker in pg_dist_node. */
  REGISTERED,
  /**
   * The worker runs, but the coordinator does not list it under this address: the budget was spent,
   * or it lists the worker under another name.
   */
  FAILED,
  /**
   * Under Patroni: the coordinator's Patroni registers each worker group's leader, the launcher
   * does not.
   */
  MANAGED_BY_PATRONI
}
