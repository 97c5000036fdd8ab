package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.patroni.PatroniSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Citus' part in a run under Patroni: on every start, on each group's primary, brings {@code
 * POSTGRES_PASSWORD} into {@code pg_dist_authinfo} (which Patroni's Citus bootstrap writes once),
 * so that a changed password does not cut the nodes off from each other. The password is a bound
 * parameter, and the session first turns off every server log that could show it.
 */
public final class AuthinfoPassword implements RunExtension {

  private static final Logger LOG = LoggerFactory.getLogger(AuthinfoPassword.class);

  /**
   * Every setting that could bring the statement, its parameters or the row into the server's log.
   */
  static final Map<String, String> QUIET_SESSION = quietSession();

  private final Settings settings;

  private AuthinfoPassword(Settings settings) {
    this.settings = settings;
  }

  /** The extension for a run of {@code settings} with Patroni and Citus. */
  static AuthinfoPassword forPatroniRun(Settings settings) {
    if (!CitusSettings.of(settings).enabled() || !PatroniSettings.of(settings).enabled()) {
      throw new IllegalArgumentException(
          "pg_dist_authinfo is kept with CITUS_ENABLE=true and PATRONI_ENABLE=true");
    }
    return new AuthinfoPassword(settings);
  }

  /**
   * A failure is logged by the run, and the server keeps running: the nodes are as reachable as
   * before.
   */
  @Override
  public void afterReady(PostgresInstance instance) {
    Optional<Secret> password = settings.superuser().password();
    if (password.isEmpty()) {
      return;
    }
    Duration timeout = settings.timeout();
    String database = CitusSettings.of(settings).database();
    try (SqlSession session = NodeSessions.local(settings, database, timeout).open()) {
      apply(session, settings.superuser().name(), password.get(), timeout);
    } catch (SQLException e) {
      // without the cause: its message may carry the server's detail
      throw new PgcontainerException(
          "Citus: could not bring POSTGRES_PASSWORD into pg_dist_authinfo in database "
              + database
              + " ("
              + withoutDetail(e)
              + "); the nodes log in to each other with the password it holds,"
              + " which the next start tries again to change");
    }
  }

  /** The steps of the class comment, in {@code session} on {@code CITUS_DATABASE}. */
  static void apply(SqlSession session, String role, Secret password, Duration timeout)
      throws SQLException {
    if ("t".equals(single(session.run(CitusSql.IN_RECOVERY)))) {
      return;
    }
    if (session.run(CitusSql.EXTENSION_CREATED).isEmpty()) {
      LOG.info("Citus: no citus extension in this database yet, so no pg_dist_authinfo to keep");
      return;
    }
    for (Map.Entry<String, String> setting : QUIET_SESSION.entrySet()) {
      session.run(CitusSql.SET_FOR_SESSION, setting.getKey(), setting.getValue());
    }
    session.run(CitusSql.SET_FOR_SESSION, "statement_timeout", String.valueOf(timeout.toMillis()));
    String wanted = conninfoPassword(password.reveal());
    List<List<String>> rows = session.run(CitusSql.AUTHINFO, role);
    if (rows.isEmpty()) {
      session.run(CitusSql.INSERT_AUTHINFO, role, wanted);
      LOG.info("Citus: added POSTGRES_PASSWORD to pg_dist_authinfo for {} to every node", role);
    } else if (!wanted.equals(single(rows))) {
      session.run(CitusSql.UPDATE_AUTHINFO, wanted, role);
      LOG.info(
          "Citus: changed the password in pg_dist_authinfo for {} to every node to POSTGRES_PASSWORD",
          role);
    } else {
      LOG.debug("Citus: pg_dist_authinfo holds POSTGRES_PASSWORD for {} already", role);
    }
  }

  /**
   * {@code password='...'} as libpq reads a connection string: single quotes around the value, a
   * backslash before each single quote and backslash in it.
   */
  static String conninfoPassword(String password) {
    return "password='" + password.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String single(List<List<String>> rows) {
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  /** The server's primary message: its detail may show the failing row, password and all. */
  static String withoutDetail(SQLException e) {
    if (e instanceof PSQLException server && server.getServerErrorMessage() != null) {
      return Objects.toString(server.getServerErrorMessage().getMessage(), "")
          + " (SQLSTATE "
          + e.getSQLState()
          + ")";
    }
    return e.getMessage();
  }

  private static Map<String, String> quietSession() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("log_statement", "none");
    settings.put("log_min_duration_statement", "-1");
    settings.put("log_transaction_sample_rate", "0");
    settings.put("log_parameter_max_length", "0");
    settings.put("log_parameter_max_length_on_error", "0");
    settings.put("log_min_error_statement", "panic");
    // an error's DETAIL (e.g. "Failing row contains ...") is logged at ERROR whatever the settings
    // above say
    settings.put("log_min_messages", "panic");
    return Collections.unmodifiableMap(settings);
  }
}
