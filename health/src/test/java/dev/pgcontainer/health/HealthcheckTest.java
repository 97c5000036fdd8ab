package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.health.HealthcheckAnswer.Source;
import dev.pgcontainer.instance.RunState;
import dev.pgcontainer.testsupport.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who answers a healthcheck: the endpoint when it can, else the probes directly. No server is
 * needed.
 */
class HealthcheckTest {

  private static final Duration BUDGET = Duration.ofSeconds(2);

  @TempDir Path root;

  @Test
  void theEndpointAnswersWhenItRuns() {
    Settings settings = settings("127.0.0.1:" + FreePorts.next());
    try (HealthEndpoint endpoint = TestEndpoints.start(settings, new RunState())) {
      HealthcheckAnswer all =
          Healthcheck.forSettings(settings, TestChecks.FEATURES).run(Optional.empty(), BUDGET);
      HealthcheckAnswer disk =
          Healthcheck.forSettings(settings, TestChecks.FEATURES).run(Optional.of("disk"), BUDGET);

      assertThat(all.source()).isEqualTo(Source.ENDPOINT);
      assertThat(all.healthy()).as("initialising is not healthy yet").isFalse();
      assertThat(all.lines()).hasSize(HealthChecks.names(TestChecks.FEATURES).size());
      assertThat(all.lines().get(0)).startsWith("postgresql STARTING initialising");
      assertThat(all.endpointProblem()).isEmpty();
      assertThat(disk.healthy()).isTrue();
      assertThat(disk.lines()).singleElement().asString().startsWith("disk UP ");
    }
  }

  @Test
  void withHealthListenEmptyTheProbesRunDirectly() {
    HealthcheckAnswer answer =
        Healthcheck.forSettings(settings(""), TestChecks.FEATURES).run(Optional.empty(), BUDGET);

    assertThat(answer.source()).isEqualTo(Source.DIRECT);
    assertThat(answer.endpointProblem()).isEmpty();
    assertThat(answer.healthy()).isFalse();
    assertThat(answer.lines().get(0)).startsWith("postgresql DOWN no server socket at ");
  }

  @Test
  void anEndpointThatTakesTheRequestButNeverAnswersMeansAStuckLauncher() throws IOException {
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread acceptor = acceptForever(silent);
      Settings settings = settings("127.0.0.1:" + silent.getLocalPort());

      HealthcheckAnswer answer =
          Healthcheck.forSettings(settings, TestChecks.FEATURES)
              .run(Optional.empty(), Duration.ofMillis(500));

      acceptor.interrupt();
      assertThat(answer.source()).isEqualTo(Source.ENDPOINT);
      assertThat(answer.healthy()).isFalse();
      assertThat(answer.endpointProblem()).isEmpty();
      assertThat(answer.lines())
          .hasSize(HealthChecks.names(TestChecks.FEATURES).size())
          .allSatisfy(
              line ->
                  assertThat(line)
                      .matches(
                          "\\w+ DOWN the health endpoint"
                              + " at http://127\\.0\\.0\\.1:"
                              + silent.getLocalPort()
                              + " took the request but gave no answer within"
                              + " \\d+ ms: the launcher is stuck or starved of CPU, \\d+\\.\\d ms"));
    }
  }

  @Test
  void anUnreachableEndpointLeavesTheBudgetToTheDirectProbes() {
    int nothingThere = FreePorts.next();
    Settings settings = settings("127.0.0.1:" + nothingThere);

    HealthcheckAnswer answer =
        Healthcheck.forSettings(settings, TestChecks.FEATURES).run(Optional.of("disk"), BUDGET);

    assertThat(answer.source()).isEqualTo(Source.DIRECT);
    assertThat(answer.endpointProblem())
        .hasValue(
            "no answer from the health endpoint at http://127.0.0.1:"
                + nothingThere
                + " (Connection refused); probed directly");
    assertThat(answer.lines()).singleElement().asString().startsWith("disk UP ");
  }

  @Test
  void anotherProgramOnThePortIsNotTakenForTheEndpoint() throws IOException {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    other.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 3);
          exchange.getResponseBody().write("ok\n".getBytes());
          exchange.close();
        });
    other.start();
    try {
      Settings settings = settings("127.0.0.1:" + other.getAddress().getPort());

      HealthcheckAnswer answer =
          Healthcheck.forSettings(settings, TestChecks.FEATURES).run(Optional.of("disk"), BUDGET);

      assertThat(answer.source()).isEqualTo(Source.DIRECT);
      assertThat(answer.endpointProblem())
          .hasValueSatisfying(
              problem ->
                  assertThat(problem)
                      .endsWith(
                          "answered HTTP 200 but is not a pgcontainer health endpoint); probed directly"));
    } finally {
      other.stop(0);
    }
  }

  @Test
  void anUnknownCheckIsRefused() {
    assertThatThrownBy(
            () ->
                Healthcheck.forSettings(settings(""), TestChecks.FEATURES)
                    .run(Optional.of("cpu"), BUDGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no check named 'cpu'; there are [postgresql, early, disk, process, late]");
  }

  private Settings settings(String healthListen) {
    return TestSettings.under(root, 54329, Map.of("HEALTH_LISTEN", healthListen));
  }

  /** Accepts connections and keeps them open without a word, like a stuck server. */
  private static Thread acceptForever(ServerSocket server) {
    Thread acceptor =
        new Thread(
            () -> {
              java.util.List<Socket> held = new java.util.ArrayList<>();
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  held.add(server.accept());
                }
              } catch (IOException e) {
                // the server socket was closed: the test is over
              }
            },
            "silent-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
    return acceptor;
  }
}
