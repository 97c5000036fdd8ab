package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.container.Engine.NamedVolume;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * BACKUP_ENABLED=true with the repository on a volume: a backup in one container, restored into a
 * new one.
 */
class ImageBackupIT {

  private static final String REPOSITORY = "/var/lib/pgbackrest";

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void aBackupTakenInOneContainerIsRestoredIntoANewOne() throws Exception {
    try (NamedVolume repository = new NamedVolume()) {
      try (PgContainer primary = backupEnabled(repository, "backup-primary")) {
        primary.start();
        Sql.execute(
            primary, "CREATE TABLE saved (note text); INSERT INTO saved VALUES ('in the backup')");

        ExecResult backup = primary.execInContainer("pgcontainer", "backup", "full");

        assertThat(backup.getExitCode())
            .as(
                "pgcontainer backup full\n%s\n%s\n%s",
                backup.getStdout(), backup.getStderr(), primary.getLogs())
            .isZero();
        assertThat(Engine.stop(primary))
            .as("exit code after docker stop\n%s", primary.getLogs())
            .isZero();
      }
      try (PgContainer restored =
          backupEnabled(repository, "backup-restored").withEnv("RESTORE_FROM_BACKUP", "true")) {
        restored.start();

        assertThat(Sql.queryOne(restored, "SELECT note FROM saved"))
            .as(restored.getLogs())
            .isEqualTo("in the backup");
      }
    }
  }

  private static PgContainer backupEnabled(NamedVolume repository, String name) {
    return ImageUnderTest.pgContainer(name)
        .withEnv("BACKUP_ENABLED", "true")
        .withCreateContainerCmdModifier(repository.mountAt(REPOSITORY));
  }
}
