package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.supervision.PosixSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Operator mistakes around backups, through the real launcher: each is refused with a message that
 * names what is wrong and what to do, and no data is lost (PGDATA untouched, or the server keeps
 * running with its rows).
 */
class BackupBadInputIT {

  private static final int CONFIGURATION_ERROR = 78;
  private static final int USAGE_ERROR = 2;
  private static final int FAILURE = 1;

  @Test
  void badCronExpressionIsAConfigurationErrorBeforeAnythingIsCreated() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.empty()) {
      RunningLauncher launcher =
          sandbox.start(
              BackupRepository.in(sandbox).environment("BACKUP_SCHEDULE_DIFF", "0 25 * * *"));

      assertThat(launcher.awaitExit(RunningLauncher.HANG_GUARD))
          .as(launcher.output())
          .isEqualTo(CONFIGURATION_ERROR);
      assertThat(launcher.output())
          .contains("BACKUP_SCHEDULE_DIFF='0 25 * * *': must be a cron expression of 5 fields");
      assertThat(entries(sandbox.root())).allMatch(name -> name.startsWith("launcher-"));
    }
  }

  @Test
  void targetTimeWithoutOffsetIsAConfigurationErrorBeforeAnythingIsCreated() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.empty()) {
      RunningLauncher launcher =
          sandbox.start(
              BackupRepository.in(sandbox)
                  .environment(
                      "RESTORE_FROM_BACKUP", "true", "RESTORE_TARGET_TIME", "2026-01-31 14:05:00"));

      assertThat(launcher.awaitExit(RunningLauncher.HANG_GUARD))
          .as(launcher.output())
          .isEqualTo(CONFIGURATION_ERROR);
      assertThat(launcher.output())
          .contains(
              "RESTORE_TARGET_TIME='2026-01-31 14:05:00': must be an ISO-8601 time with an"
                  + " offset");
      assertThat(entries(sandbox.root())).allMatch(name -> name.startsWith("launcher-"));
      LauncherSandbox.CommandOutcome option =
          sandbox.command(
              BackupRepository.in(sandbox).environment(),
              "restore",
              "--target-time",
              "2026-01-31T14:05:00");
      assertThat(option.exitCode()).as(option.describe()).isEqualTo(USAGE_ERROR);
      assertThat(option.stderr())
          .contains("--target-time '2026-01-31T14:05:00' must be an ISO-8601 time with an offset");
    }
  }

  @Test
  void repositoryPathThatCannotBeCreatedIsAConfigurationErrorBeforeAnythingIsCreated()
      throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.empty()) {
      Path aFile = Files.writeString(sandbox.root().resolve("a-file"), "not a directory");
      RunningLauncher launcher =
          sandbox.start(
              Map.of(
                  "BACKUP_ENABLED", "true", "BACKUP_REPO_PATH", aFile.resolve("repo").toString()));

      assertThat(launcher.awaitExit(RunningLauncher.HANG_GUARD))
          .as(launcher.output())
          .isEqualTo(CONFIGURATION_ERROR);
      assertThat(launcher.output())
          .contains("BACKUP_REPO_PATH='" + aFile.resolve("repo") + "'")
          .contains(aFile + " on the way to it is a regular file");
      assertThat(entries(sandbox.root()))
          .allMatch(name -> name.startsWith("launcher-") || name.equals("a-file"));
    }
  }

  @Test
  void repositoryThatBecomesUnwritableFailsTheBackupClearlyAndTheServerKeepsItsRows()
      throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      Map<String, String> backups = repository.environment();
      RunningLauncher launcher = sandbox.start(backups);
      launcher.awaitReady();
      launcher.awaitOutput("stanza main is ready");
      try (Connection connection = sandbox.connect()) {
        execute(connection, "CREATE TABLE kept AS SELECT generate_series(1, 100) AS id");
      }
      Path stanzaBackups = repository.directory().resolve("backup/main");
      LauncherSandbox.run(List.of("chmod", "0500", stanzaBackups.toString()));

      LauncherSandbox.CommandOutcome backup = sandbox.command(backups, "backup", "full");

      assertThat(backup.exitCode()).as(backup.describe()).isEqualTo(FAILURE);
      assertThat(backup.stderr())
          .contains("the full backup failed: ERROR:")
          .contains("Permission denied")
          .contains(stanzaBackups.toString());
      assertThat(launcher.isAlive()).isTrue();
      try (Connection connection = sandbox.connect()) {
        assertThat(queryValue(connection, "SELECT count(*) FROM kept")).isEqualTo("100");
      }
      LauncherSandbox.run(List.of("chmod", "0750", stanzaBackups.toString()));
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }

  @Test
  void targetBeforeTheFirstBackupIsRefusedAndTheClusterIsUntouched() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      Map<String, String> backups = repository.environment();
      RunningLauncher launcher = sandbox.start(backups);
      launcher.awaitReady();
      launcher.awaitOutput("stanza main is ready");
      try (Connection connection = sandbox.connect()) {
        execute(connection, "CREATE TABLE kept AS SELECT generate_series(1, 100) AS id");
      }
      LauncherSandbox.CommandOutcome full = sandbox.command(backups, "backup", "full");
      assertThat(full.exitCode()).as(full.describe()).isZero();

      LauncherSandbox.CommandOutcome whileRunning = sandbox.command(backups, "restore");
      assertThat(whileRunning.exitCode()).as(whileRunning.describe()).isEqualTo(FAILURE);
      assertThat(whileRunning.stderr())
          .contains("a server is running on PGDATA " + sandbox.data())
          .contains("stop it");
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

      LauncherSandbox.CommandOutcome tooEarly =
          sandbox.command(backups, "restore", "--target-time", "2001-01-01T00:00:00Z");
      assertThat(tooEarly.exitCode()).as(tooEarly.describe()).isEqualTo(FAILURE);
      assertThat(tooEarly.stderr())
          .contains(
              "the recovery target 2001-01-01T00:00Z is before the end of the earliest backup")
          .contains("choose a later target time. Nothing was changed");
      assertThat(sandbox.data().resolve(".pgcontainer-previous")).doesNotExist();
      assertThat(sandbox.queryAfterRestart("SELECT count(*) FROM kept")).isEqualTo("100");

      try (LauncherSandbox fresh = LauncherSandbox.empty()) {
        RunningLauncher restoring =
            fresh.start(
                repository.environment(
                    "RESTORE_FROM_BACKUP", "true", "RESTORE_TARGET_TIME", "2001-01-01T00:00:00Z"));
        assertThat(restoring.awaitExit(RunningLauncher.HANG_GUARD))
            .as(restoring.output())
            .isEqualTo(FAILURE);
        assertThat(restoring.output()).contains("is before the end of the earliest backup");
        assertThat(entries(fresh.data())).as("PGDATA after the refused restore").isEmpty();
      }
    }
  }

  @Test
  void aStanzaOfAnotherClusterIsLeftAloneAndTheServerKeepsRunning() throws Exception {
    try (LauncherSandbox first = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(first);
      RunningLauncher owner = first.start(repository.environment());
      owner.awaitReady();
      owner.awaitOutput("stanza main is ready");
      owner.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

      try (LauncherSandbox other = LauncherSandbox.empty()) {
        HealthProbing health = HealthProbing.of(other);
        RunningLauncher launcher = health.start(repository.environment());
        launcher.awaitReady();
        launcher.awaitOutput("holds the backups of another cluster");
        JsonNode backupCheck =
            new ObjectMapper()
                .readTree(
                    health
                        .await(
                            "/health/backup",
                            response -> response.body().contains("DEGRADED"),
                            launcher)
                        .body())
                .path("checks")
                .path("backup");
        assertThat(backupCheck.path("reason").asText())
            .contains("holds the backups of another cluster")
            .contains("choose another BACKUP_STANZA");
        assertThat(health.get("/health").statusCode())
            .as("degraded backups keep the server healthy")
            .isEqualTo(200);
        assertThat(health.get("/metrics").body())
            .contains("pgcontainer_backup_condition{condition=\"degraded\"} 1.0");

        assertThat(launcher.output())
            .contains("nothing was changed in the repository")
            .contains("choose another BACKUP_STANZA");
        try (Connection connection = other.connect()) {
          assertThat(queryValue(connection, "SELECT 1")).isEqualTo("1");
        }
        assertThat(launcher.isAlive()).isTrue();
        launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      }
    }
  }

  @Test
  void backupOnAStandbyIsRefused() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      Files.writeString(sandbox.data().resolve("standby.signal"), "");
      LauncherSandbox.run(
          List.of(
              "chown", "postgres:postgres", sandbox.data().resolve("standby.signal").toString()));
      Map<String, String> backups = BackupRepository.in(sandbox).environment();
      HealthProbing health = HealthProbing.of(sandbox);
      RunningLauncher launcher = health.start(backups);
      launcher.awaitReady();
      health.await(
          "/health/backup",
          response ->
              response
                  .body()
                  .contains("\"reason\":\"standby: the stanza and the backups are the primary's\""),
          launcher);

      LauncherSandbox.CommandOutcome backup = sandbox.command(backups, "backup");

      assertThat(backup.exitCode()).as(backup.describe()).isEqualTo(FAILURE);
      assertThat(backup.stderr())
          .contains("this server is a standby (pg_is_in_recovery() is true)")
          .contains("run pgcontainer backup in the primary's container");
      assertThat(launcher.output()).contains("checked on the primary only");
      launcher.stopCleanly(PosixSignal.TERM, Duration.ofSeconds(30));
    }
  }

  private static List<String> entries(Path directory) throws Exception {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }
}
