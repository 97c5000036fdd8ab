package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pgcontainer.testsupport.FreePorts;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue "Patroni high availability on etcd", bad input: the launcher refuses before Patroni could
 * leave a half-made PGDATA behind (an unreachable etcd), or rename it to data.failed (a required
 * watchdog that is not there); an automatic watchdog that is not there is only a warning.
 */
@ExtendWith(SandboxExtension.class)
class PatroniBadInputIT {

  /** Short, so the retries run out quickly; the launcher takes the same budget for everything. */
  private static final int TIMEOUT_SECONDS = 4;

  private LauncherSandbox sandbox;

  @BeforeEach
  void createSandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void unreachableEtcdIsRetriedUntilTimeoutThenReportedWithANonZeroExitAndAnUntouchedDataDirectory()
      throws IOException {
    int nobodyListens = FreePorts.next();
    long started = System.nanoTime();
    RunningLauncher launcher =
        sandbox.start(patroni(Map.of("PATRONI_ETCD_HOSTS", "127.0.0.1:" + nobodyListens)));

    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    Duration ran = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        "[measured] unreachable etcd: launcher exit %d ms after its start (TIMEOUT %d s)%n",
        ran.toMillis(), TIMEOUT_SECONDS);
    assertThat(exitCode).isEqualTo(1);
    assertThat(ran)
        .as("it retried for TIMEOUT")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(TIMEOUT_SECONDS));
    assertThat(launcher.output())
        .contains(
            "etcd is not reachable yet (127.0.0.1:"
                + nobodyListens
                + ": connection refused); retrying for up to"
                + " "
                + TIMEOUT_SECONDS
                + ".0 s")
        .contains("etcd did not become reachable within " + TIMEOUT_SECONDS + ".0 s (TIMEOUT)")
        .contains("Start etcd, or fix PATRONI_ETCD_HOSTS")
        .doesNotContain("started patroni");
    assertThat(entriesOf(sandbox.data())).as("PGDATA").isEmpty();
  }

  @Test
  void requiredWatchdogWithoutADeviceIsAConfigurationErrorBeforeAnythingStarts()
      throws IOException {
    Path device = Path.of("/dev/watchdog");
    assumeFalse(Files.exists(device), "this machine has a watchdog device");
    RunningLauncher launcher =
        sandbox.start(
            patroni(
                Map.of(
                    "PATRONI_ETCD_HOSTS",
                    "127.0.0.1:" + FreePorts.next(), // never asked: the watchdog fails first
                    "PATRONI_WATCHDOG_MODE",
                    "required")));

    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode).as("a configuration error").isEqualTo(78);
    assertThat(launcher.output())
        .contains(
            "PATRONI_WATCHDOG_MODE='required': the watchdog device /dev/watchdog does not exist")
        .contains("PATRONI_WATCHDOG_MODE=automatic or off")
        .doesNotContain("etcd")
        .doesNotContain("started patroni");
    assertThat(entriesOf(sandbox.data())).as("PGDATA").isEmpty();
  }

  @Test
  void automaticWatchdogWithoutADeviceWarnsAndTheMemberRunsAsLeader() {
    Path device = Path.of("/dev/watchdog");
    assumeFalse(Files.exists(device), "this machine has a watchdog device");
    EtcdServer etcd = EtcdServer.start();
    PatroniMember member =
        PatroniMember.create(
            "watchful",
            "watchdog-" + UUID.randomUUID().toString().substring(0, 8),
            etcd,
            Map.of(
                "PATRONI_WATCHDOG_MODE",
                "automatic",
                "PATRONI_NAMESPACE",
                "/pgcontainer-watchdog-it/"));
    try {
      RunningLauncher launcher = member.start();
      launcher.awaitReady();

      assertThat(launcher.output())
          .contains(
              "PATRONI_WATCHDOG_MODE=automatic, but the watchdog device /dev/watchdog does not exist: Patroni"
                  + " runs without a watchdog")
          .contains("as the Patroni leader");
      assertThat(member.isLeader()).isTrue();
    } finally {
      Cleanup.closeAll(member, etcd);
    }
  }

  private static Map<String, String> patroni(Map<String, String> overrides) throws IOException {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "PATRONI_ENABLE",
                "true",
                "PATRONI_NAME",
                "lonely",
                "PATRONI_REPLICATION_PASSWORD",
                PatroniMember.REPLICATION_PASSWORD,
                "PATRONI_RESTAPI_LISTEN",
                "127.0.0.1:" + FreePorts.next(),
                "TIMEOUT",
                String.valueOf(TIMEOUT_SECONDS)));
    environment.putAll(overrides);
    return environment;
  }

  /** The entries of a directory; none when it does not exist. */
  private static List<Path> entriesOf(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
