package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line {@code pgcontainer backup} prints, from pgBackRest 2.45's own progress lines. */
class OnDemandBackupTest {

  @Test
  void namesTheSetItsTypeSizeAndDuration() {
    List<String> progress =
        List.of(
            "2026-11-25 21:54:28.301 P00   INFO: backup command begin 2.45: --config=...",
            "2026-11-25 21:54:31.300 P00   INFO: new backup label = 20261125-215321F_20261125-215428I",
            "2026-11-25 21:54:31.336 P00   INFO: incr backup size = 8.3KB, file total = 964",
            "2026-11-25 21:54:31.336 P00   INFO: backup command end: completed successfully (3029ms)");

    OnDemandBackup.Outcome outcome =
        OnDemandBackup.Outcome.fromProgress(
            "main", BackupType.INCR, progress, Duration.ofMillis(3091));

    assertThat(outcome.describe())
        .isEqualTo(
            "incr backup 20261125-215321F_20261125-215428I of stanza main done in 3.1 s: 8.3KB, 964 files");
  }

  @Test
  void reportsTheTypePgbackrestMadeWhenItPromotedTheBackupToFull() {
    List<String> progress =
        List.of(
            "WARN: no prior backup exists, incr backup has been changed to full",
            "INFO: new backup label = 20261125-215321F",
            "INFO: full backup size = 22.1MB, file total = 964");

    assertThat(
            OnDemandBackup.Outcome.fromProgress(
                    "main", BackupType.INCR, progress, Duration.ofSeconds(4))
                .type())
        .isEqualTo(BackupType.FULL);
  }

  @Test
  void saysWhatPgbackrestDidNotReport() {
    assertThat(
            OnDemandBackup.Outcome.fromProgress(
                    "main", BackupType.DIFF, List.of(), Duration.ofSeconds(1))
                .describe())
        .isEqualTo(
            "diff backup (label not reported) of stanza main done in 1.0 s: size not reported");
  }
}
