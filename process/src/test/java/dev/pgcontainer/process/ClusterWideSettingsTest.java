package dev.pgcontainer.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.configrender.PatroniConfig;
import dev.pgcontainer.core.Settings.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for Patroni's REST API that answers as Patroni 3.0 does. */
class ClusterWideSettingsTest {

  private static final String CONFIG =
      "{\"ttl\": 30, \"loop_wait\": 10, \"retry_timeout\": 10, \"synchronous_mode\": false,"
          + " \"postgresql\": {\"use_pg_rewind\": true,"
          + " \"parameters\": {\"max_connections\": \"120\", \"wal_level\": \"logical\"}}}";

  private final List<String> patches = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void patchesOnlyTheSettingsThatDifferFromTheClusterConfiguration() throws IOException {
    PatroniRestApi api = apiAnswering(200, CONFIG);

    ClusterWideSettings.apply(api,
        defaultsWith(Map.of("max_connections", "200", "wal_level", "LOGICAL", "max_wal_senders", "12")));

    assertThat(patches).containsExactly(
        "{\"postgresql\":{\"parameters\":{\"max_connections\":\"200\",\"max_wal_senders\":\"12\"}}}");
  }

  @Test
  void leavesAnEqualConfigurationAlone() throws IOException {
    PatroniRestApi api = apiAnswering(200, CONFIG);

    ClusterWideSettings.apply(api, defaultsWith(Map.of("max_connections", "120")));

    assertThat(patches).isEmpty();
  }

  @Test
  void aFailingApiIsLoggedLoudlyWithWhatToDoNotThrownSoTheServerRunsOn() throws IOException {
    PatroniRestApi api = apiAnswering(502, "<html>Bad Gateway</html>");
    ListAppender<ILoggingEvent> log = TestSpecs.capture(ClusterWideSettings.class.getName());

    ClusterWideSettings.apply(api, defaultsWith(Map.of("max_connections", "200")));

    assertThat(patches).isEmpty();
    assertThat(log.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.ERROR);
      assertThat(event.getFormattedMessage())
          .contains("max_connections=200", "synchronous_mode=false", "GET /config answered 502",
              "patronictl edit-config")
          .doesNotContain("<html>");
    });
  }

  @Test
  void patchesChangedTimingsAndSynchronousModeWhichPatroniTakesOnlyFromTheDcsAndSaysWhatChanged()
      throws IOException {
    PatroniRestApi api = apiAnswering(200, CONFIG);
    ListAppender<ILoggingEvent> log = TestSpecs.capture(ClusterWideSettings.class.getName());

    ClusterWideSettings.apply(api, new PatroniConfig.Dcs(10, 2, 10, true,
        new PatroniConfig.DcsPostgresql(true, Map.of("max_connections", "120"))));

    assertThat(patches).containsExactly("{\"loop_wait\":2,\"synchronous_mode\":true,\"ttl\":10}");
    assertThat(log.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage())
          .contains("loop_wait 10 -> 2, synchronous_mode false -> true, ttl 30 -> 10")
          .doesNotContain("pending_restart");
    });
  }

  @Test
  void patchesTimingsAndServerSettingsTogetherInOneCall() throws IOException {
    PatroniRestApi api = apiAnswering(200, CONFIG);

    ClusterWideSettings.apply(api, new PatroniConfig.Dcs(30, 10, 5, false,
        new PatroniConfig.DcsPostgresql(true, Map.of("max_connections", "200"))));

    assertThat(patches).containsExactly(
        "{\"retry_timeout\":5,\"postgresql\":{\"parameters\":{\"max_connections\":\"200\"}}}");
  }

  /** Patroni's default timings, no synchronous mode, and {@code parameters}: what CONFIG holds but the parameters. */
  private static PatroniConfig.Dcs defaultsWith(Map<String, String> parameters) {
    return new PatroniConfig.Dcs(30, 10, 10, false, new PatroniConfig.DcsPostgresql(true, parameters));
  }

  private PatroniRestApi apiAnswering(int configStatus, String configBody) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/config", exchange -> {
      if (exchange.getRequestMethod().equals("PATCH")) {
        patches.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        respond(exchange, 200, CONFIG);
      } else {
        respond(exchange, configStatus, configBody);
      }
    });
    server.start();
    return PatroniRestApi.listeningAt(new HostPort("127.0.0.1", server.getAddress().getPort()));
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
