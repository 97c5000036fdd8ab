package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.supervision.ProcessExit;
import dev.pgcontainer.supervision.ProcessFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void aFailedPgbackrestIsSummedUpByItsLastErrorAndHints() {
    ProcessFailedException failed =
        ProcessFailedException.exited(
            "pgbackrest",
            List.of("pgbackrest", "stanza-create"),
            ProcessExit.ofExitValue(28),
            List.of(
                "WARN: an earlier warning",
                "ERROR: [028]: backup and archive info files exist but do not match the database",
                "       HINT: is this the correct stanza?",
                "       HINT: did an error occur during stanza-upgrade?"));

    assertThat(Failures.summary(failed))
        .isEqualTo(
            "ERROR: [028]: backup and archive info files exist but do not"
                + " match the database HINT: is this the correct stanza? HINT: did an error occur during stanza-upgrade?");
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertThat(Failures.summary(new PgcontainerException("no server"))).isEqualTo("no server");
    ProcessFailedException silent =
        ProcessFailedException.exited(
            "pgbackrest",
            List.of("pgbackrest"),
            ProcessExit.ofExitValue(1),
            List.of("nothing useful"));
    assertThat(Failures.summary(silent)).isEqualTo(silent.getMessage());
  }
}
