package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.patroni.PatroniSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Asks a running node about Citus: its own server through the socket (as the launcher, so root or
 * the server's OS user), and for a worker, whether the coordinator lists it.
 */
final class CitusStatusQuery implements AutoCloseable {

  private final Settings settings;
  private final SqlSession.Opener local;
  private final SqlSession.Opener coordinator;

  private CitusStatusQuery(
      Settings settings, SqlSession.Opener local, SqlSession.Opener coordinator) {
    this.settings = settings;
    this.local = local;
    this.coordinator = coordinator;
  }

  /**
   * Queries of the node of {@code settings}, each on a new session and failing within {@code
   * timeout}.
   */
  public static CitusStatusQuery forSettings(Settings settings, Duration timeout) {
    return new CitusStatusQuery(
        settings,
        NodeSessions.local(settings, CitusSettings.of(settings).database(), timeout),
        NodeSessions.coordinator(settings, timeout));
  }

  /**
   * As {@link #forSettings}, for a caller that reads often ({@code /metrics}): every read of this
   * node goes over one session kept open between reads and opened again after a failure; {@link
   * #close()} releases it.
   */
  public static CitusStatusQuery keepingSession(Settings settings, Duration timeout) {
    return new CitusStatusQuery(
        settings,
        new KeptSession(
            NodeSessions.localBounded(settings, CitusSettings.of(settings).database(), timeout)),
        NodeSessions.coordinator(settings, timeout));
  }

  static CitusStatusQuery with(
      Settings settings, SqlSession.Opener local, SqlSession.Opener coordinator) {
    return new CitusStatusQuery(settings, local, coordinator);
  }

  /**
   * The node's status.
   *
   * @throws PgcontainerException when the server cannot be asked
   */
  public CitusStatus read() {
    String database = CitusSettings.of(settings).database();
    try (SqlSession session = local.open()) {
      List<List<String>> versions = session.run(CitusSql.EXTENSION_VERSIONS);
      String installed =
          versions.isEmpty() || versions.get(0).get(1) == null ? "" : versions.get(0).get(1);
      List<CitusNode> nodes =
          installed.isEmpty()
              ? List.of()
              : session.run(CitusSql.NODES).stream().map(CitusNode::fromRow).toList();
      return new CitusStatus(CitusSettings.of(settings).role(), database, installed, nodes);
    } catch (SQLException e) {
      throw new PgcontainerException(
          "cannot read the Citus status of database "
              + database
              + " ("
              + e.getMessage()
              + "): is the server running, and is this run as root or the server's OS user?",
          e);
    }
  }

  /**
   * Where the coordinator lists this worker: {@code CITUS_NODE_HOST}, or under Patroni, whose
   * coordinator registers each group's leader at its connect address, {@code
   * PATRONI_CONNECT_ADDRESS}; and the server's port.
   */
  public HostPort workerAddress() {
    String host =
        PatroniSettings.of(settings).enabled()
            ? PatroniSettings.of(settings).connectAddress()
            : CitusSettings.of(settings).nodeHost();
    return new HostPort(host, settings.port());
  }

  /**
   * Whether the coordinator lists this node at {@link #workerAddress()}; only looks. Without
   * Patroni the coordinator of {@code CITUS_COORDINATOR_HOST} is asked; under Patroni, where only
   * Patroni knows the coordinator (from etcd), this node's own pg_dist_node, the copy Citus keeps
   * in sync on every node the coordinator added.
   *
   * @throws PgcontainerException when the coordinator (or, under Patroni, this node) cannot be
   *     asked
   */
  public boolean knownToCoordinator() {
    HostPort address = workerAddress();
    boolean underPatroni = PatroniSettings.of(settings).enabled();
    try (SqlSession session = underPatroni ? local.open() : coordinator.open()) {
      return !session.run(CitusSql.NODE_ID, address.host(), address.port()).isEmpty();
    } catch (SQLException e) {
      throw new PgcontainerException(
          underPatroni
              ? "cannot read this node's pg_dist_node (" + e.getMessage() + ")"
              : "cannot ask the coordinator at "
                  + NodeSessions.coordinatorAddress(settings)
                  + " ("
                  + e.getMessage()
                  + ")",
          e);
    }
  }

  /** Releases the kept session, if any; the next read opens one again. */
  @Override
  public void close() {
    if (local instanceof KeptSession kept) {
      kept.close();
    }
  }
}
