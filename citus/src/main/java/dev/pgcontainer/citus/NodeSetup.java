package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Citus node needs in its own server before clients are told it is ready, done on every
 * start because each step looks before it acts: the database of {@code CITUS_DATABASE}, the citus
 * extension in it, and for a standalone node or a coordinator its own entry as the coordinator
 * ({@code citus_set_coordinator_host}). A worker needs no entry of its own: the coordinator adds
 * it.
 */
final class NodeSetup {

  private static final Logger LOG = LoggerFactory.getLogger(NodeSetup.class);

  /**
   * A standalone node is its own coordinator and nobody else reaches it, so the address that always
   * works.
   */
  static final String STANDALONE_HOST = "localhost";

  private final String database;
  private final String owner;
  private final CitusRole role;
  private final String coordinatorHost;
  private final int port;

  private NodeSetup(
      String database, String owner, CitusRole role, String coordinatorHost, int port) {
    this.database = Objects.requireNonNull(database, "database");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.role = Objects.requireNonNull(role, "role");
    this.coordinatorHost = Objects.requireNonNull(coordinatorHost, "coordinatorHost");
    this.port = port;
  }

  static NodeSetup forSettings(Settings settings) {
    CitusSettings citus = CitusSettings.of(settings);
    String host = citus.role() == CitusRole.STANDALONE ? STANDALONE_HOST : citus.nodeHost();
    return new NodeSetup(
        citus.database(), settings.superuser().name(), citus.role(), host, settings.port());
  }

  /**
   * Runs every step.
   *
   * @param maintenance a session on the {@code postgres} database, for the database step
   * @param citusDatabase opens a session on {@code CITUS_DATABASE}, once the database exists
   */
  void run(SqlSession maintenance, SqlSession.Opener citusDatabase) throws SQLException {
    ensureDatabase(maintenance);
    try (SqlSession session = citusDatabase.open()) {
      ensureExtension(session);
      if (role != CitusRole.WORKER) {
        ensureCoordinatorEntry(session);
      }
    }
  }

  void ensureDatabase(SqlSession session) throws SQLException {
    if (!session.run(CitusSql.DATABASE_EXISTS, database).isEmpty()) {
      return;
    }
    session.run(
        "CREATE DATABASE "
            + CitusSql.quoteIdentifier(database)
            + " OWNER "
            + CitusSql.quoteIdentifier(owner));
    LOG.info("Citus: created database {} (CITUS_DATABASE)", database);
  }

  void ensureExtension(SqlSession session) throws SQLException {
    List<List<String>> versions = session.run(CitusSql.EXTENSION_VERSIONS);
    if (versions.isEmpty()) {
      throw new PgcontainerException(
          "the server does not offer the citus extension although its files were found at"
              + " validation: check that citus.control and citus.so belong to this PostgreSQL version");
    }
    String available = versions.get(0).get(0);
    String installed = versions.get(0).get(1);
    if (installed == null) {
      session.run(CitusSql.CREATE_EXTENSION);
      LOG.info("Citus: created the citus extension {} in database {}", available, database);
    } else if (!installed.equals(available)) {
      LOG.warn(
          "Citus: database {} holds citus {}, but the installed library is {}: run ALTER EXTENSION citus UPDATE"
              + " in that database, on the coordinator first and then on every worker",
          database,
          installed,
          available);
    }
  }

  /** The entry as coordinator; a standalone node, the only node, also holds the shards. */
  void ensureCoordinatorEntry(SqlSession session) throws SQLException {
    List<List<String>> entry = session.run(CitusSql.COORDINATOR_ENTRY);
    boolean current =
        !entry.isEmpty()
            && entry.get(0).get(0).equals(coordinatorHost)
            && entry.get(0).get(1).equals(String.valueOf(port));
    if (!current) {
      session.run(CitusSql.SET_COORDINATOR_HOST, coordinatorHost, port);
      LOG.info(
          "Citus: this {} is the coordinator at {}:{} in pg_dist_node",
          role.name().toLowerCase(Locale.ROOT),
          coordinatorHost,
          port);
    }
    boolean holdsShards = current && "t".equals(entry.get(0).get(2));
    if (role == CitusRole.STANDALONE && !holdsShards) {
      session.run(CitusSql.HOLD_SHARDS, coordinatorHost, port);
      LOG.info("Citus: this standalone node holds the shards of its distributed tables");
    }
  }
}
