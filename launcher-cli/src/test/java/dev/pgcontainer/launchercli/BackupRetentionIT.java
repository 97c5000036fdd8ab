package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.supervision.PosixSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BACKUP_RETENTION_FULL=2: the third full backup expires the first, and the repository keeps the
 * two newest.
 */
class BackupRetentionIT {

  @Test
  void keepsOnlyTheNewestTwoFullBackups() {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      Map<String, String> backups = repository.environment("BACKUP_RETENTION_FULL", "2");
      RunningLauncher launcher = sandbox.start(backups);
      launcher.awaitReady();
      launcher.awaitOutput("stanza main is ready");

      List<String> labels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        LauncherSandbox.CommandOutcome full = sandbox.command(backups, "backup", "full");
        assertThat(full.exitCode()).as(full.describe()).isZero();
        labels.add(full.stdout().split(" ")[2]);
      }

      BackupInfo info = repository.info(sandbox);
      assertThat(info.backups())
          .extracting(BackupInfo.BackupSet::type)
          .containsOnly(BackupType.FULL);
      assertThat(info.backups())
          .extracting(BackupInfo.BackupSet::label)
          .containsExactly(labels.get(1), labels.get(2));
      assertThat(repository.directory().resolve("backup/main/" + labels.get(0))).doesNotExist();
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }
}
