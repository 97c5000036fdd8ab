package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Asks a running node about Citus: its own server through the socket (as the launcher, so root or the server's OS
 * user), and for a worker, the coordinator, whether it lists this worker.
 */
public final class CitusStatusQuery {

  private final Settings settings;
  private final SqlSession.Opener local;
  private final SqlSession.Opener coordinator;

  private CitusStatusQuery(Settings settings, SqlSession.Opener local, SqlSession.Opener coordinator) {
    this.settings = settings;
    this.local = local;
    this.coordinator = coordinator;
  }

  /** Queries of the node of {@code settings}, each failing within {@code timeout}. */
  public static CitusStatusQuery forSettings(Settings settings, Duration timeout) {
    return new CitusStatusQuery(settings, NodeSessions.local(settings, settings.citus().database(), timeout),
        NodeSessions.coordinator(settings, timeout));
  }

  static CitusStatusQuery with(Settings settings, SqlSession.Opener local, SqlSession.Opener coordinator) {
    return new CitusStatusQuery(settings, local, coordinator);
  }

  /**
   * The node's status.
   *
   * @throws PgcontainerException when the server cannot be asked
   */
  public CitusStatus read() {
    String database = settings.citus().database();
    try (SqlSession session = local.open()) {
      List<List<String>> versions = session.run(CitusSql.EXTENSION_VERSIONS);
      String installed = versions.isEmpty() || versions.get(0).get(1) == null ? "" : versions.get(0).get(1);
      List<CitusNode> nodes = installed.isEmpty()
          ? List.of()
          : session.run(CitusSql.NODES).stream().map(CitusNode::fromRow).toList();
      return new CitusStatus(settings.citus().role(), database, installed, nodes);
    } catch (SQLException e) {
      throw new PgcontainerException("cannot read the Citus status of database " + database + " ("
          + e.getMessage() + "): is the server running, and is this run as root or the server's OS user?", e);
    }
  }

  /**
   * Whether the coordinator lists this node ({@code CITUS_NODE_HOST} and its port) in pg_dist_node; only looks.
   *
   * @throws PgcontainerException when the coordinator cannot be asked
   */
  public boolean knownToCoordinator() {
    try (SqlSession session = coordinator.open()) {
      return !session.run(CitusSql.NODE_ID, settings.citus().nodeHost(), settings.port()).isEmpty();
    } catch (SQLException e) {
      throw new PgcontainerException("cannot ask the coordinator at " + NodeSessions.coordinatorAddress(settings)
          + " (" + e.getMessage() + ")", e);
    }
  }
}
