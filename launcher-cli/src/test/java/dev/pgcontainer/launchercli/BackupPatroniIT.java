package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.supervision.PosixSignal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backups under Patroni: the launcher runs pgBackRest's part for a Patroni member too. One member
 * on etcd becomes the leader, its stanza is created and checked, {@code pgcontainer backup} backs
 * it up, health shows the backups, and a stop leaves the WAL segment of the last commit in the
 * repository. With two members sharing a repository, the backups follow a switchover: the new
 * leader sets the stanza up and can be backed up, the old one stands by.
 */
class BackupPatroniIT {

  private static final Map<String, String> CLUSTER_ENVIRONMENT =
      Map.of(
          "PATRONI_TTL",
          "10",
          "PATRONI_LOOP_WAIT",
          "2",
          "PATRONI_RETRY_TIMEOUT",
          "4",
          "PATRONI_NAMESPACE",
          "/pgcontainer-backup-it/");

  private EtcdServer etcd;
  private PatroniMember member;
  private PatroniMember second;

  @AfterEach
  void stopEverything() {
    Cleanup.closeAll(second, member, etcd);
  }

  @Test
  void theLeaderGetsItsStanzaAndIsBackedUpAndArchivesItsLastCommitOnStop() throws Exception {
    etcd = EtcdServer.start();
    member =
        PatroniMember.create(
            "backup-a",
            "backup-" + UUID.randomUUID().toString().substring(0, 8),
            etcd,
            CLUSTER_ENVIRONMENT);
    BackupRepository repository = BackupRepository.in(member.sandbox());
    HealthProbing health = member.health();
    Map<String, String> backups = repository.environment();

    RunningLauncher launcher = member.start(backups);
    launcher.awaitReady();
    launcher.awaitOutput("stanza main is ready");
    assertThat(launcher.output()).contains("as the Patroni leader");

    LauncherSandbox.CommandOutcome full = member.sandbox().command(backups, "backup", "full");
    assertThat(full.exitCode()).as(full.describe()).isZero();
    assertThat(full.stdout()).startsWith("full backup ").contains(" of stanza main done in ");
    BackupInfo info = repository.info(member.sandbox());
    assertThat(info.backups())
        .extracting(BackupInfo.BackupSet::type)
        .containsExactly(BackupType.FULL);

    JsonNode backupCheck =
        new ObjectMapper()
            .readTree(
                health
                    .await("/health/backup", response -> response.statusCode() == 200, launcher)
                    .body())
            .path("checks")
            .path("backup");
    assertThat(backupCheck.path("status").asText()).isEqualTo("UP");
    assertThat(backupCheck.path("reason").asText()).startsWith("stanza main ready");
    assertThat(backupCheck.path("details").path("condition").asText()).isEqualTo("ok");
    HttpResponse<String> metrics = health.get("/metrics");
    assertThat(metrics.body())
        .contains(
            "pgcontainer_backup_condition{condition=\"ok\"} 1.0",
            "pgcontainer_backup_sets{type=\"full\"}");

    String lastSegment;
    try (Connection connection = member.sandbox().connect()) {
      LauncherSandbox.execute(connection, "CREATE TABLE before_stop AS SELECT 1 AS committed");
      lastSegment = queryValue(connection, "SELECT pg_walfile_name(pg_current_wal_lsn())");
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(repository.archivedFiles())
        .as("the segment of the last commit was archived before the stop ended")
        .contains(lastSegment);
    assertThat(launcher.output())
        .doesNotContain(LauncherSandbox.PASSWORD, PatroniMember.REPLICATION_PASSWORD);
  }

  @Test
  void theStanzaAndTheBackupsFollowASwitchover() throws Exception {
    etcd = EtcdServer.start();
    String scope = "backup-" + UUID.randomUUID().toString().substring(0, 8);
    member = PatroniMember.create("backup-a", scope, etcd, CLUSTER_ENVIRONMENT);
    second = PatroniMember.create("backup-b", scope, etcd, CLUSTER_ENVIRONMENT);
    Map<String, String> backups =
        BackupRepository.in(member.sandbox()).environment(); // one repository for both
    RunningLauncher leader = member.start(backups);
    leader.awaitReady();
    leader.awaitOutput("stanza main is ready");
    RunningLauncher replica = second.start(backups);
    replica.awaitReady();
    replica.awaitOutput("the stanza is set up and checked on the primary only");

    assertThat(member.switchover(member.name(), second.name())).startsWith("200");

    replica.awaitOutput("this server is the primary now");
    replica.awaitOutput("stanza main is ready");
    leader.awaitOutput("this server is a standby now");
    LauncherSandbox.CommandOutcome full = second.sandbox().command(backups, "backup", "full");
    assertThat(full.exitCode()).as(full.describe()).isZero();
    LauncherSandbox.CommandOutcome onTheOldLeader =
        member.sandbox().command(backups, "backup", "full");
    assertThat(onTheOldLeader.exitCode()).as(onTheOldLeader.describe()).isEqualTo(1);
    assertThat(onTheOldLeader.stderr()).contains("this server is a standby");
  }
}
