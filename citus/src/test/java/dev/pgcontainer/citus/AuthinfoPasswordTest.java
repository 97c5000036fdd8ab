package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.citus.RecordingSession.Sent;
import dev.pgcontainer.core.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class AuthinfoPasswordTest {

  private static final String PASSWORD = "new'pass\\word";
  private static final String CONNINFO = "password='new\\'pass\\\\word'";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RecordingSession session = new RecordingSession();

  @Test
  void onAPrimaryAStaleRowGetsThePasswordAfterTheSessionTurnedOffEveryLogThatCouldShowIt()
      throws Exception {
    session
        .answer(CitusSql.IN_RECOVERY, "f")
        .answer(CitusSql.EXTENSION_CREATED, "1")
        .answer(CitusSql.AUTHINFO, "password=old-password");

    AuthinfoPassword.apply(session, "postgres", Secret.of(PASSWORD), TIMEOUT);

    List<Sent> expected =
        new ArrayList<>(
            List.of(
                Sent.of("SELECT pg_catalog.pg_is_in_recovery()"),
                Sent.of("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'"),
                Sent.of("SELECT pg_catalog.set_config(?, ?, false)", "log_statement", "none"),
                Sent.of(
                    "SELECT pg_catalog.set_config(?, ?, false)",
                    "log_min_duration_statement",
                    "-1"),
                Sent.of(
                    "SELECT pg_catalog.set_config(?, ?, false)",
                    "log_transaction_sample_rate",
                    "0"),
                Sent.of(
                    "SELECT pg_catalog.set_config(?, ?, false)", "log_parameter_max_length", "0"),
                Sent.of(
                    "SELECT pg_catalog.set_config(?, ?, false)",
                    "log_parameter_max_length_on_error",
                    "0"),
                Sent.of(
                    "SELECT pg_catalog.set_config(?, ?, false)",
                    "log_min_error_statement",
                    "panic"),
                Sent.of("SELECT pg_catalog.set_config(?, ?, false)", "log_min_messages", "panic"),
                Sent.of("SELECT pg_catalog.set_config(?, ?, false)", "statement_timeout", "30000"),
                Sent.of(
                    "SELECT authinfo FROM pg_catalog.pg_dist_authinfo WHERE nodeid = 0 AND rolename = ?",
                    "postgres"),
                Sent.of(
                    "UPDATE pg_catalog.pg_dist_authinfo SET authinfo = ? WHERE nodeid = 0 AND rolename = ?",
                    CONNINFO,
                    "postgres")));
    assertThat(session.sent()).containsExactlyElementsOf(expected);
    assertThat(session.sent()).extracting(Sent::sql).noneMatch(sql -> sql.contains("pass"));
  }

  @Test
  void aRowThatHoldsThePasswordAlreadyIsLeftAlone() throws Exception {
    session
        .answer(CitusSql.IN_RECOVERY, "f")
        .answer(CitusSql.EXTENSION_CREATED, "1")
        .answer(CitusSql.AUTHINFO, CONNINFO);

    AuthinfoPassword.apply(session, "postgres", Secret.of(PASSWORD), TIMEOUT);

    assertThat(session.sent())
        .extracting(Sent::sql)
        .doesNotContain(CitusSql.UPDATE_AUTHINFO, CitusSql.INSERT_AUTHINFO)
        .endsWith(CitusSql.AUTHINFO);
  }

  @Test
  void aMissingRowIsAddedForEveryNode() throws Exception {
    session.answer(CitusSql.IN_RECOVERY, "f").answer(CitusSql.EXTENSION_CREATED, "1");

    AuthinfoPassword.apply(session, "admin", Secret.of(PASSWORD), TIMEOUT);

    assertThat(session.sent())
        .last()
        .isEqualTo(
            Sent.of(
                "INSERT INTO pg_catalog.pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, ?, ?)",
                "admin",
                CONNINFO));
  }

  @Test
  void aReplicaChangesNothingItsCatalogFollowsThePrimarys() throws Exception {
    session.answer(CitusSql.IN_RECOVERY, "t");

    AuthinfoPassword.apply(session, "postgres", Secret.of(PASSWORD), TIMEOUT);

    assertThat(session.sent()).extracting(Sent::sql).containsExactly(CitusSql.IN_RECOVERY);
  }

  @Test
  void aDatabaseWithoutTheExtensionHasNoAuthinfoToKeep() throws Exception {
    session.answer(CitusSql.IN_RECOVERY, "f");

    AuthinfoPassword.apply(session, "postgres", Secret.of(PASSWORD), TIMEOUT);

    assertThat(session.sent())
        .extracting(Sent::sql)
        .containsExactly(CitusSql.IN_RECOVERY, CitusSql.EXTENSION_CREATED);
  }

  @Test
  void thePasswordIsQuotedAsLibpqReadsAConnectionString() {
    assertThat(AuthinfoPassword.conninfoPassword("plain")).isEqualTo("password='plain'");
    assertThat(AuthinfoPassword.conninfoPassword("with space")).isEqualTo("password='with space'");
    assertThat(AuthinfoPassword.conninfoPassword("it's")).isEqualTo("password='it\\'s'");
    assertThat(AuthinfoPassword.conninfoPassword("back\\slash"))
        .isEqualTo("password='back\\\\slash'");
    assertThat(AuthinfoPassword.conninfoPassword("\\'")).isEqualTo("password='\\\\\\''");
    assertThat(AuthinfoPassword.conninfoPassword("")).isEqualTo("password=''");
  }

  @Test
  void aServerErrorIsReportedWithoutItsDetailWhichMayShowTheFailingRow() {
    PSQLException error =
        new PSQLException(
            new ServerErrorMessage(
                "SERROR\0C23514\0Mnew row for relation"
                    + " \"pg_dist_authinfo\" violates check constraint\0DFailing row contains (0, postgres, password='secret')."
                    + "\0"));

    assertThat(AuthinfoPassword.withoutDetail(error))
        .isEqualTo(
            "new row for relation \"pg_dist_authinfo\" violates check constraint (SQLSTATE 23514)")
        .doesNotContain("secret");
    assertThat(error.getMessage())
        .as("what the driver's own message would have shown")
        .contains("secret");
  }

  @Test
  void runsOnlyUnderPatroniWithCitus() {
    assertThatThrownBy(
            () ->
                AuthinfoPassword.forPatroniRun(
                    TestSettings.of(Map.of("CITUS_ENABLE", "true", "POSTGRES_PASSWORD", "pw"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
