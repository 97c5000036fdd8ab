package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code pgcontainer backup} with a launcher running: the launcher makes the backup on its backup
 * thread, asked through its socket beside the server's, so two requests at once run one after the
 * other where two pgbackrest processes would collide on pgBackRest's lock; with no launcher behind
 * the socket the command makes it itself.
 */
class BackupThroughLauncherIT {

  private static final Pattern MADE_BY_THE_LAUNCHER =
      Pattern.compile("full backup done in \\d+ s \\(asked for with pgcontainer backup\\)");

  @Test
  void twoBackupsAskedAtOnceAreBothMadeByTheLauncherOneAfterTheOther() throws IOException {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      Map<String, String> backups = repository.environment();
      RunningLauncher launcher = sandbox.start(backups);
      launcher.awaitReady();
      launcher.awaitOutput("stanza main is ready");
      Path socket = sandbox.socket().resolve(".s.pgcontainer." + sandbox.port());
      assertThat(socket).exists();

      CompletableFuture<LauncherSandbox.CommandOutcome> first =
          CompletableFuture.supplyAsync(() -> sandbox.command(backups, "backup", "full"));
      CompletableFuture<LauncherSandbox.CommandOutcome> second =
          CompletableFuture.supplyAsync(() -> sandbox.command(backups, "backup", "full"));

      for (LauncherSandbox.CommandOutcome outcome :
          new LauncherSandbox.CommandOutcome[] {first.join(), second.join()}) {
        assertThat(outcome.exitCode()).as(outcome.describe()).isZero();
        assertThat(outcome.stdout())
            .as(outcome.describe())
            .matches("full backup \\S+F of stanza main done in .*\\n");
      }
      assertThat(MADE_BY_THE_LAUNCHER.matcher(launcher.output()).results().count()).isEqualTo(2);
      assertThat(repository.info(sandbox).backups())
          .extracting(BackupInfo.BackupSet::label)
          .containsExactlyInAnyOrder(
              first.join().stdout().split(" ")[2], second.join().stdout().split(" ")[2]);

      LauncherSandbox.CommandOutcome unknown = sandbox.command(backups, "backup", "weekly");
      assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(ExitCode.USAGE);
      assertThat(unknown.stderr())
          .contains("unknown backup type 'weekly': use one of full, diff, incr");

      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      assertThat(socket).doesNotExist();
    }
  }

  @Test
  void aSocketNoLauncherListensOnLeavesTheBackupToTheCommandItself() throws IOException {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      Map<String, String> backups = BackupRepository.in(sandbox).environment();
      Path socket =
          Files.createDirectories(sandbox.socket()).resolve(".s.pgcontainer." + sandbox.port());
      try (ServerSocketChannel killedLauncher =
          ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        killedLauncher.bind(
            UnixDomainSocketAddress.of(socket)); // closed without removing it, as by SIGKILL
      }
      assertThat(socket).exists();

      LauncherSandbox.CommandOutcome backup = sandbox.command(backups, "backup", "full");

      // the command's own JVM answers: the server is down, so its backup fails with its own
      // explanation
      assertThat(backup.exitCode()).as(backup.describe()).isEqualTo(ExitCode.FAILURE);
      assertThat(backup.stderr())
          .as(backup.describe())
          .contains(
              "pgcontainer backup: the full backup failed: cannot ask the server",
              "is it running?");
    }
  }
}
