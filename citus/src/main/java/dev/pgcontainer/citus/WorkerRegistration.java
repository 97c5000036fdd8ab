package dev.pgcontainer.citus;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker registering itself with its coordinator ({@code CITUS_AUTO_REGISTER_WORKERS=true}), on its own thread
 * once the worker's server is ready. Each attempt connects to the coordinator, looks for this worker in pg_dist_node
 * by the address the coordinator reaches it at, and calls {@code citus_add_node} only when it is not there, so a
 * restarted worker is never added twice. Nothing is ever removed: no node, no shard placement.
 *
 * <p>Any failure (coordinator not up, extension or coordinator entry not made yet, password not applied yet, the
 * coordinator unable to reach this worker) is retried by the {@link RetryPolicy}; when its budget is spent the worker
 * keeps running unregistered, its {@link CitusState} says why, and the log says what to do.
 */
final class WorkerRegistration implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistration.class);

  private final SqlSession.Opener coordinator;
  private final String coordinatorAddress;
  private final String nodeHost;
  private final int nodePort;
  private final RetryPolicy policy;
  private final RetryClock clock;
  private final CitusState state;

  /**
   * @param coordinator opens a session on the coordinator's Citus database
   * @param coordinatorAddress {@code host:port}, for messages
   * @param nodeHost the host the coordinator reaches this worker at ({@code CITUS_NODE_HOST})
   * @param nodePort this worker's port
   */
  WorkerRegistration(
      SqlSession.Opener coordinator, String coordinatorAddress, String nodeHost, int nodePort, RetryPolicy policy,
      RetryClock clock, CitusState state) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.coordinatorAddress = Objects.requireNonNull(coordinatorAddress, "coordinatorAddress");
    this.nodeHost = Objects.requireNonNull(nodeHost, "nodeHost");
    this.nodePort = nodePort;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.state = Objects.requireNonNull(state, "state");
  }

  /** What one successful attempt found. */
  record Outcome(String nodeId, boolean added) {}

  /** One attempt on an open session: adds the node unless the coordinator lists it already. */
  static Outcome registerOnce(SqlSession session, String nodeHost, int nodePort) throws SQLException {
    List<List<String>> existing = session.run(CitusSql.NODE_ID, nodeHost, nodePort);
    if (!existing.isEmpty()) {
      return new Outcome(existing.get(0).get(0), false);
    }
    List<List<String>> added = session.run(CitusSql.ADD_NODE, nodeHost, nodePort);
    return new Outcome(added.get(0).get(0), true);
  }

  /** Tries until registered, out of budget or interrupted (the launcher stopping). */
  @Override
  public void run() {
    Instant deadline = clock.now().plus(policy.budget());
    String worker = nodeHost + ":" + nodePort;
    state.update(RegistrationStatus.registering("first attempt", clock.now()));
    String lastReason = "";
    for (int failures = 1; ; failures++) {
      try (SqlSession session = coordinator.open()) {
        Outcome outcome = registerOnce(session, nodeHost, nodePort);
        String how = (outcome.added() ? "added as node " : "already listed as node ") + outcome.nodeId();
        state.update(RegistrationStatus.registered(how, clock.now()));
        LOG.info("Citus: worker {} is registered with the coordinator at {} ({})", worker, coordinatorAddress, how);
        return;
      } catch (SQLException | RuntimeException e) {
        String reason = oneLine(e);
        Duration left = Duration.between(clock.now(), deadline);
        if (left.isNegative() || left.isZero()) {
          state.update(RegistrationStatus.failed(reason, clock.now()));
          LOG.error("Citus: worker {} could not register with the coordinator at {} within {} s (TIMEOUT x {}): {}."
                  + " This worker keeps running, unregistered. Check that the coordinator runs, that"
                  + " CITUS_COORDINATOR_HOST and CITUS_COORDINATOR_PORT point at it, that it reaches this worker at"
                  + " CITUS_NODE_HOST={} and that both nodes share POSTGRES_USER and POSTGRES_PASSWORD; then restart"
                  + " this worker, or run SELECT citus_add_node('{}', {}) on the coordinator",
              worker, coordinatorAddress, policy.budget().toSeconds(), RetryPolicy.BUDGET_TIMEOUTS, reason, nodeHost,
              nodeHost, nodePort);
          return;
        }
        Duration wait = policy.delayAfter(failures);
        wait = wait.compareTo(left) > 0 ? left : wait;
        state.update(RegistrationStatus.registering(reason, clock.now()));
        if (!reason.equals(lastReason)) {
          LOG.warn("Citus: worker {} cannot register with the coordinator at {} yet ({}); retrying for up to {} s more",
              worker, coordinatorAddress, reason, left.toSeconds());
          lastReason = reason;
        } else {
          LOG.debug("Citus: registration attempt {} failed the same way; next in {} ms", failures, wait.toMillis());
        }
        try {
          clock.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          state.update(RegistrationStatus.notRegistered("the launcher stopped before the registration finished",
              clock.now()));
          return;
        }
      }
    }
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
