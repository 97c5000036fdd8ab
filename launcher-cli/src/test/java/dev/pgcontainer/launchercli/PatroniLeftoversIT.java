package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 2 under Patroni: a Patroni whose launcher JVM was killed, and which does not end
 * by itself (stopped with SIGSTOP, so its parent-death SIGTERM waits), is stopped by the next start
 * with its postgres, and the member comes back. One member on its own etcd.
 */
class PatroniLeftoversIT {

  private EtcdServer etcd;
  private PatroniMember member;

  @AfterEach
  void stopEverything() {
    Cleanup.closeAll(member, etcd);
  }

  @Test
  void aStuckPatroniOfAKilledLauncherIsStoppedWithItsPostgresByTheNextStart() {
    etcd = EtcdServer.start();
    member =
        PatroniMember.create(
            "lonely",
            "leftovers-" + UUID.randomUUID().toString().substring(0, 8),
            etcd,
            // ttl 10: the frozen Patroni's etcd lease, which the next Patroni's stop waits on to
            // release the leader key it took over, has expired by the time the next start has
            // stopped
            // that Patroni (9 s for its SIGTERM)
            Map.of(
                "PATRONI_NAMESPACE",
                "/pgcontainer-leftovers-it/",
                "PATRONI_TTL",
                "10",
                "PATRONI_LOOP_WAIT",
                "2",
                "PATRONI_RETRY_TIMEOUT",
                "4"));
    RunningLauncher killed = member.start();
    killed.awaitReady();
    long patroni = member.patroniPid();
    long postmaster = member.postmasterPid();

    OsProcesses.send(PosixSignal.STOP, patroni);
    OsProcesses.send(PosixSignal.KILL, killed.jvmPid());
    killed.awaitExit(RunningLauncher.HANG_GUARD);

    RunningLauncher next = member.start();
    next.awaitReady();

    assertThat(OsProcesses.isRunning(patroni)).as("the old Patroni (pid %d)", patroni).isFalse();
    assertThat(OsProcesses.isRunning(postmaster))
        .as("the old postmaster (pid %d)", postmaster)
        .isFalse();
    assertThat(next.output()).contains("Patroni (pid " + patroni + ") is still running");
    assertThat(member.postmasterPid()).isNotEqualTo(postmaster);
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
