package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue "Citus ...", bad input the launcher refuses before initdb (exit 78, PGDATA empty), with or
 * without Citus on this machine: a PostgreSQL without the extension is a bin directory of links to
 * the real server's programs, where neither pg_config nor the extension's files are found beside
 * it.
 */
@ExtendWith(SandboxExtension.class)
class CitusBadInputIT {

  private static final int CONFIGURATION_ERROR = 78;

  private LauncherSandbox sandbox;

  @BeforeEach
  void createSandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void citusOnAServerWithoutTheExtensionIsRefusedAtValidationWithoutTouchingPgdata()
      throws IOException {
    Path withoutCitus = serverWithoutCitus();

    RunningLauncher launcher =
        sandbox.start(Map.of("CITUS_ENABLE", "true", "PG_BINDIR", withoutCitus.toString()));
    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode)
        .as("a configuration error; output:%n%s", launcher.output())
        .isEqualTo(CONFIGURATION_ERROR);
    assertThat(launcher.output())
        .contains("CITUS_ENABLE='true': the Citus extension is not installed in PostgreSQL")
        .contains(
            withoutCitus.getParent().resolve("share/postgresql/extension/citus.control").toString())
        .contains(withoutCitus.getParent().resolve("lib/postgresql/citus.so").toString())
        .contains("or set CITUS_ENABLE=false")
        .doesNotContain("initdb");
    assertThat(entriesOf(sandbox.data())).as("PGDATA").isEmpty();
  }

  @Test
  void aWorkerWithoutItsCoordinatorIsAConfigurationError() throws IOException {
    RunningLauncher launcher =
        sandbox.start(Map.of("CITUS_ENABLE", "true", "CITUS_ROLE", "worker"));
    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode)
        .as("a configuration error; output:%n%s", launcher.output())
        .isEqualTo(CONFIGURATION_ERROR);
    assertThat(launcher.output())
        .contains("CITUS_COORDINATOR_HOST: a worker must know its coordinator");
    assertThat(entriesOf(sandbox.data())).as("PGDATA").isEmpty();
  }

  /**
   * {@code <temp>/bin} with links to postgres, initdb and pg_ctl of the installed server, and
   * nothing else.
   */
  private Path serverWithoutCitus() throws IOException {
    Path realBin = ServerBinaries.binDir();
    Path bin = Files.createDirectories(sandbox.root().resolve("server-without-citus/bin"));
    for (String program : List.of("postgres", "initdb", "pg_ctl")) {
      Files.createSymbolicLink(bin.resolve(program), realBin.resolve(program));
    }
    return bin;
  }

  private static List<Path> entriesOf(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
