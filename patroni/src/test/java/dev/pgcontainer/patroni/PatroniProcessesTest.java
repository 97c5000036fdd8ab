package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding Patroni's detached postmaster by its pid file, with this JVM standing in for it. */
class PatroniProcessesTest {

  @TempDir Path data;

  @Test
  void findsTheProcessThePidFileNamesWhenItStartedWhenTheFileSays() throws IOException {
    writePidFile(ProcessHandle.current().pid(), startOfThisJvm());

    assertThat(PatroniProcesses.runningPostmaster(data))
        .map(ProcessHandle::pid)
        .contains(ProcessHandle.current().pid());
  }

  @Test
  void aProcessThatStartedAtAnotherTimeHasOnlyRecycledThePid() throws IOException {
    writePidFile(ProcessHandle.current().pid(), startOfThisJvm() - 3600);

    assertThat(PatroniProcesses.runningPostmaster(data)).isEmpty();
  }

  @Test
  void noPidFileOrOneBeingWrittenMeansNoPostmaster() throws IOException {
    assertThat(PatroniProcesses.runningPostmaster(data)).isEmpty();

    Files.writeString(
        data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");

    assertThat(PatroniProcesses.runningPostmaster(data)).isEmpty();
  }

  private void writePidFile(long pid, long startEpochSeconds) throws IOException {
    // the first lines of PostgreSQL's postmaster.pid: pid, data directory, start time, port, socket
    // directory
    Files.writeString(
        data.resolve("postmaster.pid"),
        pid + "\n" + data + "\n" + startEpochSeconds + "\n5432\n/run/postgresql\n");
  }

  private static long startOfThisJvm() {
    return ProcessHandle.current().info().startInstant().map(Instant::getEpochSecond).orElseThrow();
  }
}
