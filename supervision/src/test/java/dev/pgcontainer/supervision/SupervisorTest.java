package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The launcher's exit code when its server ends without being asked to. */
class SupervisorTest {

  @Test
  void aCleanExitNobodyAskedForIsAFailureSoThatAnOnFailureRestartPolicyActs() {
    assertThat(Supervisor.exitCodeForUnrequestedEnd(ProcessExit.ofExitValue(0))).isEqualTo(1);
  }

  @Test
  void aFailingExitKeepsItsCodeAndADeathBySignalIs128PlusTheSignal() {
    assertThat(Supervisor.exitCodeForUnrequestedEnd(ProcessExit.ofExitValue(3))).isEqualTo(3);
    assertThat(Supervisor.exitCodeForUnrequestedEnd(ProcessExit.ofExitValue(128 + 9)))
        .isEqualTo(137);
  }
}
