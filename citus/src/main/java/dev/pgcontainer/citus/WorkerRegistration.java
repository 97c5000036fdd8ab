package dev.pgcontainer.citus;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker registering itself with its coordinator ({@code CITUS_AUTO_REGISTER_WORKERS=true}), on
 * its own thread once its server is ready: {@code citus_add_node} only when pg_dist_node lacks it,
 * nothing ever removed, and an immediate failure when the coordinator lists this worker's group
 * under another name. Other failures are retried by the {@link RetryPolicy}; then the worker runs
 * unregistered and its {@link CitusState} says why. See docs/citus.md, Workers.
 */
final class WorkerRegistration implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistration.class);

  private final SqlSession.Opener coordinator;
  private final SqlSession.Opener local;
  private final String coordinatorAddress;
  private final String nodeHost;
  private final int nodePort;
  private final RetryPolicy policy;
  private final RetryClock clock;
  private final CitusState state;

  /**
   * @param coordinator opens a session on the coordinator's Citus database
   * @param local opens a session on this worker's own Citus database
   * @param coordinatorAddress {@code host:port}, for messages
   * @param nodeHost the host the coordinator reaches this worker at ({@code CITUS_NODE_HOST})
   * @param nodePort this worker's port
   */
  WorkerRegistration(
      SqlSession.Opener coordinator,
      SqlSession.Opener local,
      String coordinatorAddress,
      String nodeHost,
      int nodePort,
      RetryPolicy policy,
      RetryClock clock,
      CitusState state) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.local = Objects.requireNonNull(local, "local");
    this.coordinatorAddress = Objects.requireNonNull(coordinatorAddress, "coordinatorAddress");
    this.nodeHost = Objects.requireNonNull(nodeHost, "nodeHost");
    this.nodePort = nodePort;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.state = Objects.requireNonNull(state, "state");
  }

  /** How an attempt that reached the coordinator ended. */
  enum Result {
    /** citus_add_node added this worker. */
    ADDED,
    /** The coordinator lists this worker's address already. */
    LISTED,
    /** The coordinator lists this worker's group under another address; nothing was added. */
    LISTED_UNDER_ANOTHER_NAME
  }

  /**
   * What one attempt found.
   *
   * @param nodeId the node's id in the coordinator's pg_dist_node
   * @param host the host the coordinator lists it at
   * @param port the port the coordinator lists it at
   */
  record Outcome(Result result, String nodeId, String host, int port) {}

  /**
   * One attempt: adds the node unless the coordinator lists it already, by this address or, for a
   * worker that was added before ({@code local} knows its group), under another name.
   */
  static Outcome registerOnce(
      SqlSession session, SqlSession.Opener local, String nodeHost, int nodePort)
      throws SQLException {
    List<List<String>> existing = session.run(CitusSql.NODE_ID, nodeHost, nodePort);
    if (!existing.isEmpty()) {
      return new Outcome(Result.LISTED, existing.get(0).get(0), nodeHost, nodePort);
    }
    int group = localGroup(local);
    if (group != 0) {
      List<List<String>> sameGroup = session.run(CitusSql.PRIMARY_OF_GROUP, group);
      if (!sameGroup.isEmpty()) {
        List<String> node = sameGroup.get(0);
        return new Outcome(
            Result.LISTED_UNDER_ANOTHER_NAME,
            node.get(0),
            node.get(1),
            Integer.parseInt(node.get(2)));
      }
    }
    List<List<String>> added = session.run(CitusSql.ADD_NODE, nodeHost, nodePort);
    return new Outcome(Result.ADDED, added.get(0).get(0), nodeHost, nodePort);
  }

  private static int localGroup(SqlSession.Opener local) throws SQLException {
    try (SqlSession session = local.open()) {
      List<List<String>> rows = session.run(CitusSql.LOCAL_GROUP);
      return rows.isEmpty() || rows.get(0).get(0) == null
          ? 0
          : Integer.parseInt(rows.get(0).get(0));
    }
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
        Outcome outcome = registerOnce(session, local, nodeHost, nodePort);
        if (outcome.result() == Result.LISTED_UNDER_ANOTHER_NAME) {
          refuseDuplicate(worker, outcome);
          return;
        }
        String how =
            (outcome.result() == Result.ADDED ? "added as node " : "already listed as node ")
                + outcome.nodeId();
        state.update(RegistrationStatus.registered(how, clock.now()));
        LOG.info(
            "Citus: worker {} is registered with the coordinator at {} ({})",
            worker,
            coordinatorAddress,
            how);
        return;
      } catch (SQLException | RuntimeException e) {
        String reason = oneLine(e);
        Duration left = Duration.between(clock.now(), deadline);
        if (left.isNegative() || left.isZero()) {
          state.update(RegistrationStatus.failed(reason, clock.now()));
          LOG.error(
              "Citus: worker {} could not register with the coordinator at {} within {} s (TIMEOUT x {}): {}."
                  + " This worker keeps running, unregistered. Check that the coordinator runs, that"
                  + " CITUS_COORDINATOR_HOST and CITUS_COORDINATOR_PORT point at it, that it reaches this worker at"
                  + " CITUS_NODE_HOST={} and that both nodes share POSTGRES_USER and POSTGRES_PASSWORD; then restart"
                  + " this worker, or run SELECT citus_add_node('{}', {}) on the coordinator",
              worker,
              coordinatorAddress,
              policy.budget().toSeconds(),
              RetryPolicy.BUDGET_TIMEOUTS,
              reason,
              nodeHost,
              nodeHost,
              nodePort);
          return;
        }
        Duration wait = policy.delayAfter(failures);
        wait = wait.compareTo(left) > 0 ? left : wait;
        state.update(RegistrationStatus.registering(reason, clock.now()));
        if (!reason.equals(lastReason)) {
          LOG.warn(
              "Citus: worker {} cannot register with the coordinator at {} yet ({}); retrying for up to {} s more",
              worker,
              coordinatorAddress,
              reason,
              left.toSeconds());
          lastReason = reason;
        } else {
          LOG.debug(
              "Citus: registration attempt {} failed the same way; next in {} ms",
              failures,
              wait.toMillis());
        }
        try {
          clock.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          state.update(
              RegistrationStatus.notRegistered(
                  "the launcher stopped before the registration finished", clock.now()));
          return;
        }
      }
    }
  }

  private void refuseDuplicate(String worker, Outcome outcome) {
    String reason =
        "the coordinator lists this worker's group as node "
            + outcome.nodeId()
            + " at "
            + outcome.host()
            + ":"
            + outcome.port()
            + ", not at CITUS_NODE_HOST="
            + nodeHost;
    state.update(RegistrationStatus.failed(reason, clock.now()));
    LOG.error(
        "Citus: worker {} was added to the coordinator at {} before, under another name: {}. It is not added"
            + " again (that would make a second, empty node beside the one holding its shards), and nothing is"
            + " removed. CITUS_NODE_HOST defaults to the host name, which may change with each container: set"
            + " CITUS_NODE_HOST to a name that stays (e.g. the service's DNS name), and on the coordinator run SELECT"
            + " citus_update_node({}, '<that name>', {}) so that the node holding this worker's shards carries it",
        worker,
        coordinatorAddress,
        reason,
        outcome.nodeId(),
        nodePort);
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
