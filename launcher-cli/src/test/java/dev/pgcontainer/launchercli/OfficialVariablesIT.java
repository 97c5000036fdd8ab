package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #14: the official image's POSTGRES_HOST_AUTH_METHOD and POSTGRES_INITDB_WALDIR, with the
 * real launcher.
 */
@ExtendWith(SandboxExtension.class)
class OfficialVariablesIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void hostAuthMethodTrustNeedsNoPasswordAndWarnsLoudly() throws SQLException {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("POSTGRES_PASSWORD", null);
    overrides.put("POSTGRES_HOST_AUTH_METHOD", "trust");

    RunningLauncher launcher = sandbox.startWith(overrides, "postgres");
    launcher.awaitReady();

    try (Connection connection = sandbox.connect("any password at all")) {
      assertThat(queryValue(connection, "SELECT current_user"))
          .isEqualTo(LauncherSandbox.SUPERUSER);
    }
    assertThat(launcher.output())
        .contains("WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\"");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void initdbWalDirectoryIsMadeForTheServerUserAndHoldsTheWal() throws IOException, SQLException {
    Path wal = sandbox.root().resolve("wal");

    RunningLauncher launcher =
        sandbox.startWith(Map.of("POSTGRES_INITDB_WALDIR", wal.toString()), "postgres");
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT count(*) > 0 FROM pg_ls_waldir()")).isEqualTo("t");
    }
    assertThat(Files.isSymbolicLink(sandbox.data().resolve("pg_wal"))).isTrue();
    assertThat(Files.readSymbolicLink(sandbox.data().resolve("pg_wal"))).isEqualTo(wal);
    assertThat(Files.getOwner(wal, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("postgres");
    assertThat(Files.getPosixFilePermissions(wal))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
