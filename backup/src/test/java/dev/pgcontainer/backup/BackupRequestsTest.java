package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.instance.LauncherRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pgcontainer backup} as the launcher answers it through its socket, with a stand-in for
 * backups (the socket itself: LauncherRequestsTest; the whole way: BackupThroughLauncherIT).
 */
class BackupRequestsTest {

  private final List<BackupType> asked = new ArrayList<>();
  private final List<String> printed = new ArrayList<>();
  private final LauncherRequests.Answer answer =
      new LauncherRequests.Answer() {
        @Override
        public void out(String line) {
          printed.add("out " + line);
        }

        @Override
        public void err(String line) {
          printed.add("err " + line);
        }
      };

  @Test
  void aRequestedBackupIsAnsweredWithTheCommandsLine() throws InterruptedException {
    int code = new BackupRequests(this::made).answer(List.of("diff"), answer);

    assertThat(code).isZero();
    assertThat(printed)
        .containsExactly(
            "out diff backup 20261126-010000F of stanza main done in 2.0 s: 8.3KB, 964 files");
    assertThat(asked).containsExactly(BackupType.DIFF);
  }

  @Test
  void noTypeMeansFullAsOnTheCommandLine() throws InterruptedException {
    assertThat(new BackupRequests(this::made).answer(List.of(), answer)).isZero();
    assertThat(asked).containsExactly(BackupType.FULL);
  }

  @Test
  void anUnknownTypeOrASecondArgumentIsAUsageErrorAndMakesNoBackup() throws InterruptedException {
    BackupRequests requests = new BackupRequests(this::made);

    assertThat(requests.answer(List.of("weekly"), answer)).isEqualTo(BackupRequests.EXIT_USAGE);
    assertThat(requests.answer(List.of("full", "now"), answer))
        .isEqualTo(BackupRequests.EXIT_USAGE);
    assertThat(printed)
        .containsExactly(
            "err pgcontainer backup: unknown backup type 'weekly': use one of full, diff, incr",
            "err pgcontainer backup: backup takes at most one argument, the type: full, diff, incr");
    assertThat(asked).isEmpty();
  }

  @Test
  void aFailedBackupIsExitOneWithItsMessageOnStderr() throws InterruptedException {
    BackupRequests requests =
        new BackupRequests(
            type -> {
              throw new PgcontainerException(
                  "the full backup failed: this server is a standby\nrun it on the primary");
            });

    assertThat(requests.answer(List.of("full"), answer)).isEqualTo(BackupRequests.EXIT_FAILURE);
    assertThat(printed)
        .containsExactly(
            "err pgcontainer backup: the full backup failed: this server is a standby\nrun it on the primary");
  }

  private OnDemandBackup.Outcome made(BackupType type) {
    asked.add(type);
    return new OnDemandBackup.Outcome(
        "main", type, "20261126-010000F", "8.3KB, 964 files", Duration.ofSeconds(2));
  }
}
