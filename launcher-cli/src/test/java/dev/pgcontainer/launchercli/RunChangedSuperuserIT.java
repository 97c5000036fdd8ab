package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #15 item 6: POSTGRES_DB and POSTGRES_USER changed after the first start. A new POSTGRES_DB
 * is created at the next start; a POSTGRES_USER the cluster has no role for stops the start with a
 * message that names the variable and what to do, instead of blaming the password.
 */
@ExtendWith(SandboxExtension.class)
class RunChangedSuperuserIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void copyInitialisedCluster(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
  }

  @Test
  void aChangedPostgresDbIsCreatedAtTheNextStart() throws SQLException {
    RunningLauncher launcher = sandbox.start(Map.of("POSTGRES_DB", "otherdb"));
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(
              queryValue(
                  connection,
                  "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'otherdb'"))
          .isEqualTo("postgres");
    }
    assertThat(launcher.output()).contains("created database otherdb (POSTGRES_DB)");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void aPostgresUserWithoutARoleStopsTheStartSayingWhatToDo() {
    RunningLauncher launcher = sandbox.start(Map.of("POSTGRES_USER", "bob"));

    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode).as("exit code; output:%n%s", launcher.output()).isEqualTo(1);
    assertThat(launcher.output())
        .contains("POSTGRES_USER=bob, but the cluster in PGDATA")
        .contains("Set POSTGRES_USER back")
        .contains("CREATE ROLE \"bob\" SUPERUSER LOGIN")
        .doesNotContain("could not apply POSTGRES_PASSWORD");
  }
}
