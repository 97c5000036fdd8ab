package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgcontainer.core.PgcontainerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

class SignalsIT {

  /**
   * Not a requirement: keeps a broken probe from hanging the build (a JVM started on a loaded
   * machine is slow).
   */
  private static final Duration HANG_GUARD = Duration.ofSeconds(120);

  @Test
  void aSignalToThisJvmArrivesInTheQueue() throws Exception {
    BlockingQueue<PosixSignal> deliveries = new LinkedBlockingQueue<>();
    try (SignalRegistration registration =
        Signals.handle(EnumSet.of(PosixSignal.HUP, PosixSignal.USR1), deliveries::offer)) {
      assumeTrue(
          registration.ignoredByParent().isEmpty(), "the test JVM was started with SIGHUP ignored");

      sendToSelf(PosixSignal.HUP);
      sendToSelf(PosixSignal.USR1);

      // the JVM runs each signal's handler on a thread of its own: the two may arrive in either
      // order
      List<PosixSignal> arrived =
          Arrays.asList(
              deliveries.poll(HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
              deliveries.poll(HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
      assertThat(arrived).containsExactlyInAnyOrder(PosixSignal.HUP, PosixSignal.USR1);
    }
  }

  @Test
  void sigquitIsRefusedAndNothingStaysInstalled() {
    assertThatThrownBy(
            () -> Signals.handle(EnumSet.of(PosixSignal.USR2, PosixSignal.QUIT), signal -> {}))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("cannot handle SIGQUIT in Java")
        .hasMessageContaining("reserved for thread dumps");

    // USR2 was installed before QUIT failed; the rollback must have put the previous handler back
    SignalHandler probe = signal -> {};
    SignalHandler current = Signal.handle(new Signal("USR2"), probe);
    try {
      assertThat(current.getClass().getName()).doesNotContain(Signals.class.getSimpleName());
    } finally {
      Signal.handle(new Signal("USR2"), current);
    }
  }

  @Test
  void theJvmLetsUsHandleTermIntHupButNeverQuit() throws Exception {
    assertThat(probe("", "exec"))
        .containsExactly(
            "probe: TERM handled",
            "probe: INT handled",
            "probe: HUP handled",
            "probe: QUIT refused",
            "probe: USR1 handled");
  }

  @Test
  void underXrsTheJvmRefusesEveryShutdownSignal() throws Exception {
    assertThat(probe("-Xrs", "exec"))
        .containsExactly(
            "probe: TERM refused",
            "probe: INT refused",
            "probe: HUP refused",
            "probe: QUIT refused",
            "probe: USR1 handled");
  }

  @Test
  void signalsTheParentIgnoredAreReported() throws Exception {
    assertThat(probe("", "trap '' HUP USR1; exec"))
        .containsExactly(
            "probe: TERM handled",
            "probe: INT handled",
            "probe: HUP ignored by parent",
            "probe: QUIT refused",
            "probe: USR1 handled");
  }

  /**
   * Runs {@link SignalProbe} in a fresh JVM started by {@code sh -c "<prefix> java <option> ..."}.
   */
  private static List<String> probe(String jvmOption, String shellPrefix) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessSpec spec =
        TestSpecs.sh(
                "it-signal-probe",
                shellPrefix
                    + " \"$JAVA\" "
                    + jvmOption
                    + " -cp \"$CLASSPATH\" "
                    + SignalProbe.class.getName()
                    + " TERM INT HUP QUIT USR1")
            .putEnvironment("JAVA", java)
            .putEnvironment("CLASSPATH", System.getProperty("java.class.path"))
            .build();
    return Commands.run(spec, HANG_GUARD).stream()
        .filter(line -> line.startsWith("probe: "))
        .toList();
  }

  private static void sendToSelf(PosixSignal signal) throws Exception {
    Process kill =
        new ProcessBuilder(
                "kill", "-s", signal.name(), Long.toString(ProcessHandle.current().pid()))
            .start();
    assertThat(kill.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
