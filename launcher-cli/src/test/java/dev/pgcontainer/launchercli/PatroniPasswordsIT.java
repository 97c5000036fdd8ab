package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A changed {@code PATRONI_REPLICATION_PASSWORD} reaches the replication role: Patroni sets it only
 * when it creates the cluster, so the launcher applies it on the leader, as it does {@code
 * POSTGRES_PASSWORD}. One member on its own etcd.
 */
class PatroniPasswordsIT {

  private static final String NEW_REPLICATION_PASSWORD = "Repl-Pw-changed-5d0e";

  private EtcdServer etcd;
  private PatroniMember member;

  @AfterEach
  void stopEverything() {
    Cleanup.closeAll(member, etcd);
  }

  @Test
  void aChangedReplicationPasswordIsAppliedToTheRoleOnTheLeader() throws SQLException {
    etcd = EtcdServer.start();
    member =
        PatroniMember.create(
            "lonely",
            "passwords-" + UUID.randomUUID().toString().substring(0, 8),
            etcd,
            Map.of("PATRONI_NAMESPACE", "/pgcontainer-passwords-it/"));
    member.start().awaitReady();
    assertThat(replicatorCanLogIn(PatroniMember.REPLICATION_PASSWORD))
        .as("the password of the bootstrap")
        .isTrue();
    member.launcher().stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    RunningLauncher restarted =
        member.start(Map.of("PATRONI_REPLICATION_PASSWORD", NEW_REPLICATION_PASSWORD));
    restarted.awaitReady();

    assertThat(replicatorCanLogIn(NEW_REPLICATION_PASSWORD))
        .as("the new password; output:%n%s", restarted.output())
        .isTrue();
    assertThat(replicatorCanLogIn(PatroniMember.REPLICATION_PASSWORD))
        .as("the old password")
        .isFalse();
    assertThat(restarted.output())
        .contains("set the password of replicator")
        .doesNotContain(NEW_REPLICATION_PASSWORD);
  }

  /**
   * A password login of the replication role over TCP, as other members' Patroni and pg_basebackup
   * make.
   */
  private boolean replicatorCanLogIn(String password) {
    Properties properties = new Properties();
    properties.setProperty("user", "replicator");
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "disable");
    properties.setProperty("connectTimeout", "10");
    try (Connection connection =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + member.port() + "/postgres", properties)) {
      return queryValue(connection, "SELECT current_user").equals("replicator");
    } catch (SQLException e) {
      if ("28P01".equals(e.getSQLState())) { // invalid_password
        return false;
      }
      throw new AssertionError("the replicator's login failed otherwise than by its password", e);
    }
  }
}
