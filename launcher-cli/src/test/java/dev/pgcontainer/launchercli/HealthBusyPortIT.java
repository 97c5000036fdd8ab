package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The health endpoint binds in the background while the launcher finds and asks the server
 * binaries; a taken HEALTH_LISTEN port must still stop the run before a cluster is made, naming the
 * variable.
 */
class HealthBusyPortIT {

  @Test
  void aTakenHealthPortStopsTheRunBeforeTheClusterIsMade() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.empty();
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();

      RunningLauncher launcher = sandbox.start(Map.of("HEALTH_LISTEN", listen));

      assertThat(launcher.awaitExit(RunningLauncher.HANG_GUARD))
          .as(launcher.output())
          .isEqualTo(ExitCode.FAILURE);
      assertThat(launcher.output()).contains("cannot serve health on HEALTH_LISTEN=" + listen);
      assertThat(sandbox.data().resolve("PG_VERSION")).doesNotExist();
      assertThat(sandbox.processesInside()).isEmpty();
    }
  }
}
