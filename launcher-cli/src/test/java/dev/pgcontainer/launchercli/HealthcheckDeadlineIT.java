package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.launchercli.HealthProbing.HealthcheckRun;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code pgcontainer healthcheck} ends with a true answer whatever it asks: an endpoint and a
 * server that accept connections and never say a word, and nothing running at all, in a JVM of its
 * own (as {@code PGCONTAINER_ASK_LAUNCHER=false} runs it) and without one when no launcher listens.
 * Each run is DOWN with its reason (a deadline's, the JVM's watchdog's or bin/pgcontainer's when
 * the node is too busy for the check to finish), exit code 1, and ends ({@link
 * HealthProbing#HANG_GUARD}). How fast (the 1 s bound) depends on the node's load, so it is
 * measured by bench/health.sh, quiet and loaded, never asserted here.
 */
@ExtendWith(SandboxExtension.class)
class HealthcheckDeadlineIT {

  /** The JVM path: not asking a launcher, which none of these tests runs. */
  private static final Map<String, String> IN_A_JVM = Map.of("PGCONTAINER_ASK_LAUNCHER", "false");

  private LauncherSandbox sandbox;
  private HealthProbing health;
  private final List<Closeable> silentServers =
      new CopyOnWriteArrayList<>(); // acceptor threads add to it

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
    health = HealthProbing.of(sandbox);
  }

  @AfterEach
  void closeServers() throws IOException {
    for (Closeable server : silentServers) {
      server.close();
    }
  }

  @Test
  void aHangingEndpointIsAnsweredDownAsAStuckLauncher() throws IOException {
    ServerSocket endpoint = new ServerSocket();
    endpoint.bind(new InetSocketAddress("127.0.0.1", health.port()));
    acceptSilently(endpoint);

    HealthcheckRun run = health.healthcheck(IN_A_JVM, "postgresql");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    // the endpoint client's own verdict, or on a starved node (a JVM start near the halt point) the
    // watchdog's, or bin/pgcontainer's when it had to kill the JVM
    assertThat(run.lines())
        .as("%s", run)
        .singleElement()
        .asString()
        .matches(
            "postgresql DOWN (the health endpoint at"
                + " http://127\\.0\\.0\\.1:"
                + health.port()
                + " took the request but gave no answer within "
                + "|no answer within (1000|850) ms of the healthcheck's start).*");
  }

  @Test
  void aHangingServerProbedDirectlyIsAnsweredDown() throws IOException {
    Path socketFile =
        Files.createDirectories(sandbox.socket()).resolve(".s.PGSQL." + sandbox.port());
    acceptSilently(AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketFile)));

    HealthcheckRun run =
        health.healthcheck(
            Map.of("PGCONTAINER_ASK_LAUNCHER", "false", "HEALTH_LISTEN", ""), "postgresql");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    // the probe's own deadline, or the watchdog's last resort at the limit, or bin/pgcontainer's
    // kill of the JVM (the watchdog's halt may wait for pgjdbc's login thread in native code)
    assertThat(run.lines())
        .as("%s", run)
        .singleElement()
        .asString()
        .matches("postgresql DOWN no answer within \\d+ ms.*");
  }

  @Test
  void withNoLauncherTheAnswerIsDownWithoutAJvm() throws IOException {
    // no JVM could start: the answer needs none
    Map<String, String> noJvm = Map.of("PGCONTAINER_JAVA_OPTS", "-XX:+NoSuchOption");
    HealthcheckRun nothing = health.healthcheck(noJvm);
    Path socket =
        Files.createDirectories(sandbox.socket()).resolve(".s.pgcontainer." + sandbox.port());
    // a launcher killed, its socket left behind (the JDK's channel leaves the file on close)
    ServerSocketChannel.open(StandardProtocolFamily.UNIX)
        .bind(UnixDomainSocketAddress.of(socket))
        .close();
    HealthcheckRun stale = health.healthcheck(noJvm, "postgresql");

    assertThat(nothing.exitCode()).as("%s", nothing).isEqualTo(1);
    assertThat(nothing.stdout())
        .isEqualTo(
            "all DOWN no launcher answers at "
                + socket
                + ": none runs, or it is"
                + " still starting (PGCONTAINER_ASK_LAUNCHER=false checks in a JVM of its own)\n");
    assertThat(stale.exitCode()).as("%s", stale).isEqualTo(1);
    assertThat(stale.stdout())
        .isEqualTo(
            "postgresql DOWN no launcher answers at "
                + socket
                + ": the socket is left"
                + " from one that ended (PGCONTAINER_ASK_LAUNCHER=false checks in a JVM of its own)\n");
  }

  @Test
  void withNothingRunningEveryCheckGivesItsOwnAnswer() {
    // asked again while the answer was the watchdog's (a starved node): what each check says is the
    // subject here
    HealthcheckRun run = health.healthcheckAnswered(IN_A_JVM);

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.lines()).as("%s", run).hasSize(6);
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
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  Socket connection = server.accept();
                  silentServers.add(connection);
                }
              } catch (IOException e) {
                // closed after the test
              }
            },
            "silent-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }
}
