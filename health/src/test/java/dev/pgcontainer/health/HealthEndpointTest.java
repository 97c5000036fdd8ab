package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LauncherRequests;
import dev.pgcontainer.instance.RunState;
import dev.pgcontainer.testsupport.FreePorts;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's pages and codes for a run that is initialising (a fresh RunState): no server is
 * needed for that, and it is exactly what an orchestrator sees during initdb.
 */
class HealthEndpointTest {

  @TempDir Path root;

  private HealthEndpoint endpoint;
  private InetSocketAddress address;

  @BeforeEach
  void startEndpointOfAnInitialisingRun() {
    Settings settings =
        TestSettings.under(root, 54329, Map.of("HEALTH_LISTEN", "127.0.0.1:" + FreePorts.next()));
    endpoint = TestEndpoints.start(settings, new RunState());
    address = endpoint.address().orElseThrow();
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.close();
  }

  @Test
  void liveButNotReadyWhileInitialising() {
    HttpResponse<String> live = HttpProbe.get(address, "/live");
    HttpResponse<String> ready = HttpProbe.get(address, "/ready");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("live\n");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("not ready: phase INITIALISING\n");
    assertThat(ready.headers().firstValue("Pgcontainer-Phase")).hasValue("INITIALISING");
  }

  @Test
  void healthIsJsonWithEveryCheckAndUnhealthyWhileStarting() throws IOException {
    HttpResponse<String> health = HttpProbe.get(address, "/health");

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(health.body());
    assertThat(json.path("status").asText()).isEqualTo("STARTING");
    assertThat(json.path("phase").asText()).isEqualTo("INITIALISING");
    assertThat(json.path("live").asBoolean()).isTrue();
    assertThat(json.path("ready").asBoolean()).isFalse();
    assertThat(json.path("checks").fieldNames())
        .toIterable()
        .containsExactlyElementsOf(HealthChecks.names(TestChecks.FEATURES));
    assertThat(json.at("/checks/postgresql/status").asText()).isEqualTo("STARTING");
    assertThat(json.at("/checks/disk/status").asText()).isEqualTo("UP");
    assertThat(json.at("/checks/disk/details/data_free_bytes").isNumber()).isTrue();
    assertThat(json.at("/checks/disk/durationMs").isNumber()).isTrue();
  }

  @Test
  void oneCheckAsTextIsTheHealthchecksLine() {
    HttpResponse<String> disk = HttpProbe.get(address, "/health/disk", "text/plain");
    HttpResponse<String> postgresql = HttpProbe.get(address, "/health/postgresql", "text/plain");

    assertThat(disk.statusCode()).isEqualTo(200);
    assertThat(disk.body()).startsWith("disk UP PGDATA ").endsWith(" ms\n");
    assertThat(postgresql.statusCode()).isEqualTo(503);
    assertThat(postgresql.body())
        .matches("postgresql STARTING initialising: the server is not started yet, 0\\.0 ms\n");
  }

  @Test
  void metricsAreInThePrometheusTextFormatWithoutAskingAnInitialisingServer() {
    HttpResponse<String> metrics = HttpProbe.get(address, "/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body())
        .contains("# TYPE pgcontainer_up gauge\npgcontainer_up 0.0\n")
        .contains("pgcontainer_phase{phase=\"initialising\"} 1.0")
        .contains("pgcontainer_phase{phase=\"running\"} 0.0")
        .contains("pgcontainer_server_starts_total 0.0")
        .contains("pgcontainer_probe_last_success_timestamp_seconds{probe=\"disk\"}")
        .doesNotContain("probe=\"postgresql\"");
  }

  @Test
  void keptAliveConnectionsSendWithoutDelay() throws IOException {
    // With Nagle's algorithm each response's body (written after its headers) waited for the
    // client's delayed ACK: 40 ms on every request of a kept-alive connection but the first. What
    // the JDK's server does is its property's.
    assertThat(System.getProperty(HealthEndpoint.NO_DELAY_PROPERTY)).isEqualTo("true");
    try (Socket connection = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = connection.getOutputStream();
      DataInputStream in = new DataInputStream(connection.getInputStream());
      for (int request = 1; request <= 5; request++) {
        out.write("GET /live HTTP/1.1\r\nHost: health\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in))
            .as("response %d on one connection", request)
            .startsWith("HTTP/1.1 200 ")
            .endsWith("\r\n\r\nlive\n");
      }
    }
  }

  /**
   * One response with a Content-length, read from a kept-alive connection: status line, headers and
   * body.
   */
  private static String readResponse(DataInputStream in) throws IOException {
    StringBuilder response = new StringBuilder();
    int length = 0;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      response.append(line).append("\r\n");
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return response.append("\r\n").append(new String(body, StandardCharsets.UTF_8)).toString();
  }

  private static String readLine(DataInputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new EOFException("the endpoint closed the connection; read so far: " + line);
      }
      line.append((char) c);
    }
    return line.toString().stripTrailing();
  }

  @Test
  void unknownPagesChecksAndMethodsAreRefused() {
    assertThat(HttpProbe.get(address, "/nope").statusCode()).isEqualTo(404);
    assertThat(HttpProbe.get(address, "/health/nope").statusCode()).isEqualTo(404);
    assertThat(HttpProbe.get(address, "/health/nope").body())
        .isEqualTo("no check named 'nope'; there are [postgresql, early, disk, process, late]\n");
    assertThat(HttpProbe.get(address, "/lively").statusCode()).isEqualTo(404);
  }

  @Test
  void anAddressInUseIsAnErrorThatSaysWhatToDo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      Settings settings =
          TestSettings.under(
              root, 54329, Map.of("HEALTH_LISTEN", "127.0.0.1:" + taken.getLocalPort()));

      Assertions.assertThatThrownBy(() -> TestEndpoints.start(settings, new RunState()))
          .isInstanceOf(PgcontainerException.class)
          .hasMessageStartingWith(
              "cannot serve health on HEALTH_LISTEN=127.0.0.1:" + taken.getLocalPort())
          .hasMessageEndingWith(
              "free that port, choose another address, or set HEALTH_LISTEN to empty to disable"
                  + " the endpoint");
    }
  }

  @Test
  void anEmptyHealthListenServesNothing() {
    try (HealthEndpoint disabled =
        TestEndpoints.start(
            TestSettings.under(root, 54329, Map.of()),
            new RunState(),
            HealthTimings.builder().probeDeadline(Duration.ofSeconds(1)).build())) {
      assertThat(disabled.address()).isEmpty();
    }
  }

  @Test
  void withHealthListenEmptyTheLaunchersDoorStillAnswersTheHealthcheck() throws IOException {
    Settings settings = TestSettings.under(root, 54329, Map.of());
    Path socket = Files.createDirectories(root.resolve("door")).resolve(".s.pgcontainer.54329");
    try (LauncherRequests requests = LauncherRequests.at(socket)) {
      requests.listen();
      List<String> answer;
      try (HealthEndpoint disabled =
          HealthEndpoint.bind(settings)
              .serve(settings, new RunState(), TestChecks.FEATURES, List.of(), requests)) {
        assertThat(disabled.address()).isEmpty();
        Await.until(
            "the healthcheck served", () -> !ask(socket, "healthcheck").equals(List.of("exit 75")));
        answer = ask(socket, "healthcheck postgresql");
        assertThat(ask(socket, "healthcheck disks"))
            .as("left to the JVM, which says why")
            .containsExactly("exit 75");
        assertThat(ask(socket, "healthcheck all").get(2)).startsWith("out disk UP PGDATA ");
      }
      assertThat(answer)
          .containsExactly(
              "out postgresql STARTING initialising: the server is not started yet, 0.0 ms",
              "exit 1");
      assertThat(ask(socket, "healthcheck"))
          .as("no longer served once closed")
          .containsExactly("exit 75");
    }
  }

  private static List<String> ask(Path socket, String request) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
      return new BufferedReader(
              new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))
          .lines()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
