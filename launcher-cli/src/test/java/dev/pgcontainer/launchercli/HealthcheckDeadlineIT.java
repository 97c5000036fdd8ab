package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.launchercli.HealthProbing.HealthcheckRun;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code pgcontainer healthcheck} ends within 1 s of its start in every case, as the issue requires: here an endpoint
 * and a server that accept connections and never say a word, and nothing running at all. The bound is the issue's
 * requirement, so it is asserted as such, from outside the process (see {@link HealthProbing#assertWithinOneSecond}),
 * except where a known gap is documented.
 */
class HealthcheckDeadlineIT {

  private LauncherSandbox sandbox;
  private HealthProbing health;
  private final List<Closeable> silentServers = new CopyOnWriteArrayList<>(); // acceptor threads add to it

  @BeforeEach
  void createEmptySandbox() {
    sandbox = LauncherSandbox.empty();
    health = HealthProbing.of(sandbox);
  }

  @AfterEach
  void closeServersAndDeleteSandbox() throws IOException {
    for (Closeable server : silentServers) {
      server.close();
    }
    sandbox.close();
  }

  @Test
  void aHangingEndpointIsAStuckLauncherAnsweredInTime() throws IOException {
    ServerSocket endpoint = new ServerSocket();
    endpoint.bind(new InetSocketAddress("127.0.0.1", health.port()));
    acceptSilently(endpoint);

    HealthProbing.assumeNotStarved();
    HealthcheckRun run = health.healthcheck(Map.of(), "postgresql");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    // the endpoint client's own verdict, or on a starved node (a JVM start near the halt point) the watchdog's
    assertThat(run.lines()).singleElement().asString().matches("postgresql DOWN (the health endpoint at"
        + " http://127\\.0\\.0\\.1:" + health.port() + " took the request but gave no answer within "
        + "|no answer within 1000 ms of the healthcheck's start).*");
    HealthProbing.assertWithinOneSecond(run);
  }

  @Test
  void aHangingServerProbedDirectlyIsDownInTime() throws IOException {
    Path socketFile = Files.createDirectories(sandbox.socket()).resolve(".s.PGSQL." + sandbox.port());
    acceptSilently(AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketFile)));

    HealthProbing.assumeNotStarved();
    HealthcheckRun run = health.healthcheck(Map.of("HEALTH_LISTEN", ""), "postgresql");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    // the probe's own deadline, or on a starved node the watchdog's last resort at the limit
    assertThat(run.lines()).singleElement().asString().matches("postgresql DOWN no answer within \\d+ ms.*");
    // The watchdog halts at 800 ms, but HotSpot's exit may then wait up to 300 ms for pgjdbc's login thread (in native
    // code); bin/pgcontainer kills the JVM at 0.95 s, after the watchdog's answer.
    HealthProbing.assertWithinOneSecond(run);
  }

  @Test
  void withNothingRunningEveryCheckAnswersInTime() {
    // what each check says is asked again while the watchdog answered (a starved node); every run is in time
    HealthProbing.assumeNotStarved();
    HealthcheckRun run = health.healthcheckAnsweredInTime(Map.of());

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.lines()).hasSize(6);
    assertThat(run.lines().get(0)).startsWith("postgresql DOWN no server socket at ");
    assertThat(run.lines().get(1)).startsWith("patroni UP not enabled");
    assertThat(run.lines().get(2)).startsWith("disk UP ");
    assertThat(run.lines().get(3)).startsWith("process DOWN no ");
    assertThat(run.lines().get(4)).startsWith("backup UP not enabled");
    assertThat(run.lines().get(5)).startsWith("citus UP not enabled");
  }

  /** Accepts connections and keeps them open without a word, like a stuck program. */
  private void acceptSilently(ServerSocket server) {
    silentServers.add(server);
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket connection = server.accept();
          silentServers.add(connection);
        }
      } catch (IOException e) {
        // closed after the test
      }
    }, "silent-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }
}
