package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.testsupport.TestLogs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a stand-in for Patroni's REST API that answers as Patroni 3.0 does, with the member's
 * memory in a temporary PGDATA.
 */
class ClusterWideSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEMBER = "member-b";

  /**
   * The cluster holds Patroni's default timings, no synchronous mode, max_connections 120,
   * wal_level logical.
   */
  private static final String CONFIG =
      "{\"ttl\": 30, \"loop_wait\": 10, \"retry_timeout\": 10, \"synchronous_mode\": false,"
          + " \"postgresql\": {\"use_pg_rewind\": true,"
          + " \"parameters\": {\"max_connections\": \"120\", \"wal_level\": \"logical\"}}}";

  private final List<String> patches = new CopyOnWriteArrayList<>();
  private final AtomicInteger configStatus = new AtomicInteger(200);
  private HttpServer server;

  @TempDir Path dataDirectory;

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void patchesOnlyWhatTheEnvironmentChangedSinceTheMembersLastStartAndTheClusterDoesNotHold()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(
        Map.of("max_connections", "100", "wal_level", "replica", "max_wal_senders", "10"));

    settings()
        .apply(
            api,
            defaultsWith(
                Map.of("max_connections", "200", "wal_level", "LOGICAL", "max_wal_senders", "10")));

    assertThat(patches)
        .as("wal_level changed, but the cluster holds it already; max_wal_senders did not change")
        .containsExactly("{\"postgresql\":{\"parameters\":{\"max_connections\":\"200\"}}}");
  }

  @Test
  void aValueTheEnvironmentDidNotChangeIsLeftAsTheClusterHasItAndTheDifferenceLogged()
      throws IOException {
    PatroniRestApi api =
        apiAnswering(CONFIG); // max_connections 120: patronictl edit-config, or another member
    rememberLastStart(Map.of("max_connections", "100"));
    ListAppender<ILoggingEvent> log = TestLogs.capture(ClusterWideSettings.class.getName());

    settings().apply(api, defaultsWith(Map.of("max_connections", "100")));

    assertThat(patches).isEmpty();
    assertThat(log.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.INFO);
              assertThat(event.getFormattedMessage())
                  .contains(
                      "max_connections 120 where the environment says 100",
                      "has not changed these since its last start");
            });
  }

  @Test
  void aMembersFirstStartInAnExistingClusterPatchesNothingAndWarnsOfEachDifference()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    ListAppender<ILoggingEvent> log = TestLogs.capture(ClusterWideSettings.class.getName());

    settings()
        .apply(
            api,
            new PatroniConfig.Dcs(
                10,
                10,
                10,
                false,
                new PatroniConfig.DcsPostgresql(
                    true, Map.of("max_connections", "200", "wal_level", "logical"))));

    assertThat(patches).isEmpty();
    assertThat(log.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .contains(
                      "member-b has no memory of an earlier start",
                      "ttl 30 where the environment says 10",
                      "max_connections 120 where the environment says 200",
                      "patronictl edit-config")
                  .doesNotContain("wal_level");
            });
    assertThat(remembered().path("parameters").path("max_connections").asText()).isEqualTo("200");
  }

  @Test
  void theMemoryIsThisMembersOwnNotOneCopiedFromAnotherMemberWithABaseBackupOrPgRewind()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    Files.writeString(
        dataDirectory.resolve(ClusterWideSettings.FILE_NAME),
        "{\"member\": \"member-a\","
            + " \"patroni\": {\"ttl\": \"30\", \"loop_wait\": \"10\", \"retry_timeout\": \"10\","
            + " \"synchronous_mode\": \"false\"}, \"parameters\": {\"max_connections\": \"100\"}}");

    settings().apply(api, defaultsWith(Map.of("max_connections", "200")));

    assertThat(patches).as("treated as a first start").isEmpty();
    assertThat(remembered().path("member").asText()).isEqualTo(MEMBER);
  }

  @Test
  void remembersTheValuesOfThisStartInPgdataReadableByItsOwnerOnlySoTheNextStartChangesNothing()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "100"));

    settings().apply(api, defaultsWith(Map.of("max_connections", "200")));
    settings().apply(api, defaultsWith(Map.of("max_connections", "200")));

    assertThat(patches)
        .as("the stand-in still answers 120, as after patronictl edit-config")
        .hasSize(1);
    Path file = dataDirectory.resolve(ClusterWideSettings.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    JsonNode memory = remembered();
    assertThat(memory.path("member").asText()).isEqualTo(MEMBER);
    assertThat(memory.path("patroni").path("ttl").asText()).isEqualTo("30");
    assertThat(memory.path("parameters").path("max_connections").asText()).isEqualTo("200");
  }

  @Test
  void aSecondApplyOfTheSameStartAsOnSighupNeverUndoesAnEditConfig() throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "100"));
    ClusterWideSettings member = settings();

    member.apply(api, defaultsWith(Map.of("max_connections", "200")));
    member.apply(api, defaultsWith(Map.of("max_connections", "200")));

    assertThat(patches).hasSize(1);
  }

  @Test
  void aVariableSetSinceTheLastStartIsAChange() throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "120"));

    settings().apply(api, defaultsWith(Map.of("max_connections", "120", "max_wal_senders", "12")));

    assertThat(patches)
        .containsExactly("{\"postgresql\":{\"parameters\":{\"max_wal_senders\":\"12\"}}}");
  }

  @Test
  void aFailingApiIsLoggedLoudlyWithWhatToDoAndTheChangeIsTriedAgainOnTheNextApply()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "100"));
    ClusterWideSettings member = settings();
    configStatus.set(502);
    ListAppender<ILoggingEvent> log = TestLogs.capture(ClusterWideSettings.class.getName());

    member.apply(api, defaultsWith(Map.of("max_connections", "200")));

    assertThat(patches).isEmpty();
    assertThat(log.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.ERROR);
              assertThat(event.getFormattedMessage())
                  .contains(
                      "max_connections=200",
                      "GET /config answered 502",
                      "tries again on SIGHUP",
                      "patronictl edit-config")
                  .doesNotContain("<html>");
            });
    assertThat(remembered().path("parameters").path("max_connections").asText()).isEqualTo("100");

    configStatus.set(200);
    member.apply(api, defaultsWith(Map.of("max_connections", "200")));
    assertThat(patches)
        .containsExactly("{\"postgresql\":{\"parameters\":{\"max_connections\":\"200\"}}}");
  }

  @Test
  void patchesChangedTimingsAndSynchronousModeWhichPatroniTakesOnlyFromTheDcsAndSaysWhatChanged()
      throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "120"));
    ListAppender<ILoggingEvent> log = TestLogs.capture(ClusterWideSettings.class.getName());

    settings()
        .apply(
            api,
            new PatroniConfig.Dcs(
                10,
                2,
                10,
                true,
                new PatroniConfig.DcsPostgresql(true, Map.of("max_connections", "120"))));

    assertThat(patches).containsExactly("{\"loop_wait\":2,\"synchronous_mode\":true,\"ttl\":10}");
    assertThat(log.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .contains("loop_wait 10 -> 2, synchronous_mode false -> true, ttl 30 -> 10")
                  .doesNotContain("pending_restart");
            });
  }

  @Test
  void patchesTimingsAndServerSettingsTogetherInOneCall() throws IOException {
    PatroniRestApi api = apiAnswering(CONFIG);
    rememberLastStart(Map.of("max_connections", "120"));

    settings()
        .apply(
            api,
            new PatroniConfig.Dcs(
                30,
                10,
                5,
                false,
                new PatroniConfig.DcsPostgresql(true, Map.of("max_connections", "200"))));

    assertThat(patches)
        .containsExactly(
            "{\"retry_timeout\":5,\"postgresql\":{\"parameters\":{\"max_connections\":\"200\"}}}");
  }

  private ClusterWideSettings settings() {
    return ClusterWideSettings.remembered(dataDirectory, MEMBER, Optional.empty());
  }

  /**
   * The memory of a start with Patroni's default timings, no synchronous mode and {@code
   * parameters}.
   */
  private void rememberLastStart(Map<String, String> parameters) throws IOException {
    Files.write(
        dataDirectory.resolve(ClusterWideSettings.FILE_NAME),
        JSON.writeValueAsBytes(
            Map.of(
                "member", MEMBER,
                "patroni",
                    Map.of(
                        "ttl",
                        "30",
                        "loop_wait",
                        "10",
                        "retry_timeout",
                        "10",
                        "synchronous_mode",
                        "false"),
                "parameters", parameters)));
  }

  private JsonNode remembered() throws IOException {
    return JSON.readTree(dataDirectory.resolve(ClusterWideSettings.FILE_NAME).toFile());
  }

  /** Patroni's default timings, no synchronous mode, and {@code parameters}. */
  private static PatroniConfig.Dcs defaultsWith(Map<String, String> parameters) {
    return new PatroniConfig.Dcs(
        30, 10, 10, false, new PatroniConfig.DcsPostgresql(true, parameters));
  }

  private PatroniRestApi apiAnswering(String configBody) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/config",
        exchange -> {
          if (exchange.getRequestMethod().equals("PATCH")) {
            patches.add(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 200, CONFIG);
          } else if (configStatus.get() != 200) {
            respond(exchange, configStatus.get(), "<html>Bad Gateway</html>");
          } else {
            respond(exchange, 200, configBody);
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
