package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #3: a {@code postgresql.conf} mounted into PGCONFIG is used, loses to POSTGRESQL_*
 * variables, is never written (not even when it is mounted read-only), and a change to it is
 * applied by SIGHUP to the launcher without a restart.
 */
@ExtendWith(SandboxExtension.class)
class RunUserConfigIT {

  /** A time no launcher run can produce, so any rewrite of the file shows. */
  private static final FileTime MOUNTED_AT = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

  private static final FileTime EDITED_AT = FileTime.from(Instant.parse("2021-01-01T00:00:00Z"));

  private LauncherSandbox sandbox;
  private Path userFile;
  private Path readOnlyMount;

  @BeforeEach
  void copyInitialisedClusterAndMountConfig(Sandbox temporary) throws IOException {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    Files.createDirectories(sandbox.config());
    userFile = sandbox.config().resolve("postgresql.conf");
    writeUserFile("work_mem = '7MB'\nshared_buffers = '32MB'\n", MOUNTED_AT);
  }

  @AfterEach
  void killLeftoversAndUnmount() {
    sandbox.killLeftovers();
    if (readOnlyMount != null) {
      LauncherSandbox.run(List.of("umount", readOnlyMount.toString()));
    }
  }

  @Test
  void mountedFileIsUsedLosesToEnvironmentAndIsNeverModified() throws IOException, SQLException {
    UserFile mounted = UserFile.read(userFile);

    RunningLauncher launcher = sandbox.start(Map.of("POSTGRESQL_SHARED_BUFFERS", "48MB"));
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SHOW work_mem"))
          .as("from the mounted file")
          .isEqualTo("7MB");
      assertThat(queryValue(connection, "SHOW shared_buffers"))
          .as("POSTGRESQL_SHARED_BUFFERS wins")
          .isEqualTo("48MB");
    }
    assertThat(UserFile.read(userFile)).isEqualTo(mounted);
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(UserFile.read(userFile)).isEqualTo(mounted);
  }

  @Test
  void sighupAppliesAChangedMountedFileWithoutRestart() throws IOException, SQLException {
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();
    long postmaster = launcher.postmasterPid();
    writeUserFile("work_mem = '9MB'\nshared_buffers = '32MB'\n", EDITED_AT);
    UserFile edited = UserFile.read(userFile);

    launcher.signal(PosixSignal.HUP);

    assertThat(awaitWorkMem("9MB")).isEqualTo("9MB");
    assertThat(launcher.isAlive()).isTrue();
    assertThat(launcher.postmasterPid())
        .as("the same postmaster: reloaded, not restarted")
        .isEqualTo(postmaster);
    assertThat(UserFile.read(userFile)).isEqualTo(edited);
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void readOnlyMountedFileDoesNotStopTheFirstStart()
      throws IOException, InterruptedException, SQLException {
    // as `docker run -v ./postgresql.conf:$PGCONFIG/postgresql.conf:ro` mounts it, into a PGCONFIG
    // that is root's
    Path mountedFrom = sandbox.root().resolve("postgresql.conf.on-host");
    Files.move(userFile, mountedFrom);
    Files.createFile(userFile);
    assumeTrue(
        bindMountReadOnly(mountedFrom, userFile), "a read-only bind mount needs CAP_SYS_ADMIN");
    UserFile mounted = UserFile.read(userFile);

    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SHOW work_mem"))
          .as("from the mounted file")
          .isEqualTo("7MB");
    }
    assertThat(UserFile.read(userFile)).isEqualTo(mounted);
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  /**
   * {@code mount --bind} then remount read-only; false when this machine does not allow mounting.
   */
  private boolean bindMountReadOnly(Path source, Path target)
      throws IOException, InterruptedException {
    Process bind =
        new ProcessBuilder("mount", "--bind", source.toString(), target.toString())
            .redirectErrorStream(true)
            .start();
    bind.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (bind.waitFor() != 0) {
      return false;
    }
    readOnlyMount = target;
    LauncherSandbox.run(List.of("mount", "-o", "remount,bind,ro", target.toString()));
    return true;
  }

  /**
   * Polls {@code SHOW work_mem} on fresh connections until it is {@code expected}; returns the last
   * value.
   */
  private String awaitWorkMem(String expected) throws SQLException {
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    String workMem;
    do {
      try (Connection connection = sandbox.connect()) {
        workMem = queryValue(connection, "SHOW work_mem");
      }
      if (!workMem.equals(expected)) {
        RunningLauncher.pause();
      }
    } while (!workMem.equals(expected) && System.nanoTime() < deadline);
    return workMem;
  }

  private void writeUserFile(String content, FileTime modified) throws IOException {
    Files.writeString(userFile, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(userFile, modified);
  }

  /** What "never modified" compares: the bytes and the modification time. */
  private record UserFile(String content, FileTime modified) {

    static UserFile read(Path file) throws IOException {
      return new UserFile(
          Files.readString(file, StandardCharsets.UTF_8), Files.getLastModifiedTime(file));
    }
  }
}
