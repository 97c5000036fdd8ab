package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #3: SLEEP_MODE=true keeps the container up for maintenance with nothing started, and
 * SIGTERM ends it.
 */
@ExtendWith(SandboxExtension.class)
class RunSleepModeIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void sleepModeStartsNothingStaysUpAndExitsZeroPromptlyOnSigterm() {
    RunningLauncher launcher = sandbox.start(Map.of("SLEEP_MODE", "true"));
    launcher.awaitOutput("SLEEP_MODE=true");

    long jvm = launcher.jvmPid();
    assertThat(ProcessHandle.of(jvm).orElseThrow().descendants().toList())
        .as("processes started by the launcher")
        .isEmpty();
    assertThat(sandbox.processesInside())
        .as("processes in the sandbox")
        .containsExactlyInAnyOrder(launcher.pid(), jvm);
    assertThat(sandbox.data().resolve("PG_VERSION")).as("no cluster was made").doesNotExist();
    assertThatExceptionOfType(SQLException.class)
        .as("a connection to port %d", sandbox.port())
        .isThrownBy(() -> sandbox.connect().close());
    assertThat(launcher.isAlive()).as("still up after all those checks").isTrue();

    Duration exit = launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    System.out.printf("[measured] sleep mode: exit %d ms after SIGTERM%n", exit.toMillis());
    assertThat(launcher.output()).as("output of a server").doesNotContain("[postgres]");
  }
}
