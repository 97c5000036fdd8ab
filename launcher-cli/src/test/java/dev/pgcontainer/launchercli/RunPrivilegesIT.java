package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #3, started as root (as CI and the image's ENTRYPOINT do): after {@code prepare}, neither
 * the launcher JVM nor any server process keeps root or a capability, and PGDATA is the postgres
 * user's, mode 0700, even when it came with another owner and mode.
 */
@ExtendWith(SandboxExtension.class)
class RunPrivilegesIT {

  /** uid and gid of root. */
  private static final int ROOT = 0;

  private static final int POSTGRES_UID = OsProcesses.uidAndGidOfUser("postgres").get(0);
  private static final int POSTGRES_GID = OsProcesses.uidAndGidOfUser("postgres").get(1);

  private LauncherSandbox sandbox;

  @BeforeEach
  void copyInitialisedCluster(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
  }

  @Test
  void startedAsRootTheLauncherAndTheServerRunAsPostgresWithAPrivatePgdata() throws IOException {
    assertThat(OsProcesses.ids(ProcessHandle.current().pid(), "Uid"))
        .as("this test runs as root, as CI does")
        .hasValue(List.of(ROOT, ROOT, ROOT, ROOT));
    // as a freshly mounted volume may come: root's, readable by all (postgres would refuse to start
    // on it)
    Files.setAttribute(sandbox.data(), "unix:uid", ROOT, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(sandbox.data(), "unix:gid", ROOT, LinkOption.NOFOLLOW_LINKS);
    Files.setPosixFilePermissions(sandbox.data(), PosixFilePermissions.fromString("rwxr-xr-x"));

    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();

    long jvm = launcher.jvmPid();
    assertUnprivilegedPostgres(
        launcher.pid(), Presence.REQUIRED); // the start script, which passes signals on
    assertUnprivilegedPostgres(jvm, Presence.REQUIRED);
    long postmaster = launcher.postmasterPid();
    assertUnprivilegedPostgres(postmaster, Presence.REQUIRED);
    assertThat(sandbox.processesInside())
        .contains(launcher.pid(), jvm, postmaster)
        .allSatisfy(pid -> assertUnprivilegedPostgres(pid, Presence.MAY_HAVE_ENDED));
    assertThat(Files.getAttribute(sandbox.data(), "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(POSTGRES_UID);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.data())))
        .isEqualTo("rwx------");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  /**
   * Real, effective, saved and filesystem uid and gid are postgres's; no root group, no capability.
   */
  private static void assertUnprivilegedPostgres(long pid, Presence presence) {
    String what = "pid " + pid + " (" + OsProcesses.commandLineText(pid) + ")";
    check(
        OsProcesses.ids(pid, "Uid"),
        presence,
        uids -> assertThat(uids).as("uids of %s", what).hasSize(4).containsOnly(POSTGRES_UID));
    check(
        OsProcesses.ids(pid, "Gid"),
        presence,
        gids -> assertThat(gids).as("gids of %s", what).hasSize(4).containsOnly(POSTGRES_GID));
    check(
        OsProcesses.ids(pid, "Groups"),
        presence,
        groups -> assertThat(groups).as("supplementary groups of %s", what).doesNotContain(ROOT));
    check(
        OsProcesses.effectiveCapabilities(pid),
        presence,
        capabilities -> assertThat(capabilities).as("effective capabilities of %s", what).isZero());
  }

  private static <T> void check(Optional<T> value, Presence presence, Consumer<T> assertion) {
    if (presence == Presence.REQUIRED) {
      assertThat(value).as("/proc entry of a process that must be running").isPresent();
    }
    value.ifPresent(assertion);
  }

  /**
   * Whether a process may end while it is checked (an autovacuum worker) or must be there (the
   * postmaster).
   */
  private enum Presence {
    REQUIRED,
    MAY_HAVE_ENDED
  }
}
