package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.process.PosixSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #3, started as root (as CI and the image's ENTRYPOINT do): after {@code prepare}, neither the launcher JVM nor
 * any server process keeps root or a capability, and PGDATA is the postgres user's, mode 0700, even when it came with
 * another owner and mode.
 */
class RunPrivilegesIT {

  private static final int ROOT_UID = 0;

  private LauncherSandbox sandbox;

  @BeforeEach
  void copyInitialisedCluster() {
    sandbox = LauncherSandbox.withInitialisedCluster();
  }

  @AfterEach
  void killLeftoversAndDeleteSandbox() {
    sandbox.close();
  }

  @Test
  void startedAsRootTheLauncherAndTheServerRunAsPostgresWithAPrivatePgdata() throws IOException {
    assertThat(OsProcesses.uids(ProcessHandle.current().pid())).as("this test runs as root, as CI does")
        .hasValue(List.of(ROOT_UID, ROOT_UID, ROOT_UID, ROOT_UID));
    // as a freshly mounted volume may come: root's, readable by all (postgres would refuse to start on it)
    Files.setAttribute(sandbox.data(), "unix:uid", ROOT_UID, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(sandbox.data(), "unix:gid", ROOT_UID, LinkOption.NOFOLLOW_LINKS);
    Files.setPosixFilePermissions(sandbox.data(), PosixFilePermissions.fromString("rwxr-xr-x"));
    int postgresUid = OsProcesses.uidOfUser("postgres");

    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();

    assertThat(OsProcesses.commandLineText(launcher.pid())).as("the supervising process is the run JVM")
        .contains("pgcontainer.jar run");
    List<Integer> allPostgres = List.of(postgresUid, postgresUid, postgresUid, postgresUid);
    assertThat(OsProcesses.uids(launcher.pid())).as("real, effective, saved and fs uid of the launcher JVM")
        .hasValue(allPostgres);
    assertThat(OsProcesses.effectiveCapabilities(launcher.pid())).as("capabilities of the launcher JVM").hasValue(0L);
    long postmaster = launcher.postmasterPid();
    assertThat(OsProcesses.uids(postmaster)).as("uids of the postmaster").hasValue(allPostgres);
    assertThat(OsProcesses.effectiveCapabilities(postmaster)).as("capabilities of the postmaster").hasValue(0L);
    // every other server process too (one that ends meanwhile, e.g. an autovacuum worker, has nothing left to check)
    assertThat(sandbox.processesInside()).contains(launcher.pid(), postmaster).allSatisfy(pid -> {
      OsProcesses.uids(pid).ifPresent(uids -> assertThat(uids).as("uids of pid %d", pid).isEqualTo(allPostgres));
      OsProcesses.effectiveCapabilities(pid).ifPresent(caps -> assertThat(caps).as("caps of pid %d", pid).isZero());
    });
    assertThat(Files.getAttribute(sandbox.data(), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(postgresUid);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.data())))
        .isEqualTo("rwx------");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
