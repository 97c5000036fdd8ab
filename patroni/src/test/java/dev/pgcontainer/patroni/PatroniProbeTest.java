package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patroni's answers as Patroni 3.0.2 (this machine's) and 4.x give them, from its REST API's source
 * and runs.
 */
class PatroniProbeTest {

  private static final String LEADER_3 =
      """
      {"state": "running", "postmaster_start_time": "2026-11-25 20:00:00.123+00:00", "role": "master",
       "server_version": 150020, "xlog": {"location": 50331648}, "timeline": 1,
       "replication": [{"usename": "replicator", "application_name": "node2", "client_addr": "127.0.0.1",
                        "state": "streaming", "sync_state": "async", "sync_priority": 0}],
       "dcs_last_seen": 1764100000, "database_system_identifier": "7441234567890123456",
       "patroni": {"version": "3.0.2", "scope": "postgres-cluster"}}""";

  private static final String PRIMARY_4 =
      """
      {"state": "running", "role": "primary", "server_version": 170000, "xlog": {"location": 1234},
       "timeline": 2, "patroni": {"version": "4.0.7", "scope": "postgres-cluster", "name": "node1"}}""";

  private static final String REPLICA_3 =
      """
      {"state": "running", "role": "replica", "server_version": 150020,
       "xlog": {"received_location": 50331648, "replayed_location": 50327552,
                "replayed_timestamp": "2026-11-25 20:01:00.000+00:00", "paused": false},
       "timeline": 1, "patroni": {"version": "3.0.2", "scope": "postgres-cluster"}}""";

  /** LEADER_3's dcs_last_seen. */
  private static final long DCS_LAST_SEEN = 1764100000L;

  @TempDir Path root;

  private HttpServer patroni;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopFakePatroni() {
    release.countDown();
    if (patroni != null) {
      patroni.stop(0);
    }
  }

  @Test
  void patroni3LeaderSaysMasterWhichIsPrimary() throws IOException {
    ProbeResult result = verdict(FlatJson.parse(bytes(LEADER_3)));

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("primary");
    assertThat(result.details())
        .containsEntry("role", "primary")
        .containsEntry("state", "running")
        .containsEntry("timeline", 1L)
        .containsEntry("patroni_version", "3.0.2")
        .containsEntry("pending_restart", false);
  }

  @Test
  void patroni4PrimaryIsPrimary() throws IOException {
    ProbeResult result = verdict(FlatJson.parse(bytes(PRIMARY_4)));

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("primary");
  }

  @Test
  void aReplicaReportsItsReplayLag() throws IOException {
    ProbeResult result = verdict(FlatJson.parse(bytes(REPLICA_3)));

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("replica, replay lag 4.0 KiB");
    assertThat(result.details()).containsEntry("replay_lag_bytes", 4096L);
  }

  @Test
  void aPendingRestartIsDegraded() throws IOException {
    ProbeResult result =
        verdict(
            FlatJson.parse(
                bytes(
                    LEADER_3.replace(
                        "\"timeline\": 1,", "\"timeline\": 1, \"pending_restart\": true,"))));

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason())
        .isEqualTo("primary, restart pending: a changed setting needs it (patronictl restart)");
    assertThat(result.status().isHealthy()).isTrue();
  }

  @Test
  void aPrimaryThatLostTheLeaderKeyIsDegradedNotUp() throws IOException {
    ProbeResult result =
        verdict(
            FlatJson.parse(
                bytes(
                    LEADER_3.replace(
                        "\"timeline\": 1,", "\"timeline\": 1, \"cluster_unlocked\": true,"))));

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason()).startsWith("primary without the leader key (cluster_unlocked)");
    assertThat(result.details())
        .containsEntry("role", "primary")
        .containsEntry("cluster_unlocked", true);
  }

  @Test
  void aReplicaInAClusterWithoutALeaderIsDegraded() throws IOException {
    ProbeResult result =
        verdict(
            FlatJson.parse(
                bytes(
                    REPLICA_3.replace(
                        "\"timeline\": 1,", "\"timeline\": 1, \"cluster_unlocked\": true,"))));

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason()).startsWith("replica in a cluster without a leader");
  }

  @Test
  void aPrimaryKeptByFailsafeModeIsDegradedSayingSo() throws IOException {
    ProbeResult result =
        verdict(
            FlatJson.parse(
                bytes(
                    LEADER_3.replace(
                        "\"timeline\": 1,",
                        "\"timeline\": 1, \"cluster_unlocked\": true, \"failsafe_mode_is_active\": true,"))));

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason()).startsWith("primary in failsafe mode: etcd is unreachable");
    assertThat(result.details()).containsEntry("failsafe_mode_is_active", true);
  }

  @Test
  void aMemberThatHasNotReachedTheDcsForLongerThanLoopWaitPlusRetryTimeoutIsCutOff()
      throws IOException {
    // PATRONI_LOOP_WAIT 10 + PATRONI_RETRY_TIMEOUT 10 (the defaults): 20 s of silence is still
    // normal, 21 s is not
    ProbeResult within = verdict(FlatJson.parse(bytes(LEADER_3)), DCS_LAST_SEEN + 20);
    ProbeResult cutOff = verdict(FlatJson.parse(bytes(LEADER_3)), DCS_LAST_SEEN + 21);

    assertThat(within.status()).isEqualTo(ProbeStatus.UP);
    assertThat(cutOff.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(cutOff.reason())
        .isEqualTo(
            "primary cut off from the DCS: Patroni last reached etcd 21 s ago (more than"
                + " loop_wait + retry_timeout, 20 s); Patroni demotes a primary that cannot reach etcd; check etcd and this"
                + " member's network");
    assertThat(cutOff.details())
        .containsEntry("dcs_silent_seconds", 21L)
        .containsEntry("role", "primary");
  }

  @Test
  void statesOnTheWayUpAreStartingAndOthersDown() throws IOException {
    ProbeResult starting =
        verdict(FlatJson.parse(bytes("{\"state\": \"creating replica\", \"role\": \"replica\"}")));
    ProbeResult stopped =
        verdict(FlatJson.parse(bytes("{\"state\": \"stopped\", \"role\": \"uninitialized\"}")));

    assertThat(starting.status()).isEqualTo(ProbeStatus.STARTING);
    assertThat(stopped.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(stopped.reason()).isEqualTo("Patroni says postgres is stopped (uninitialized)");
  }

  @Test
  void notEnabledIsUpAndAsksNothing() throws IOException {
    ProbeResult result = probe(Map.of("PATRONI_ENABLE", "false"), 9).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("not enabled");
  }

  @Test
  void theRestApiIsAskedForPatroniOnTheWildcardAddressThroughLoopback() throws IOException {
    int port = serve(LEADER_3, false);

    ProbeResult result = probe(Map.of("PATRONI_RESTAPI_LISTEN", "0.0.0.0:" + port), 1000).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("primary");
  }

  @Test
  void nothingListeningIsDownSayingPatroniIsNotRunning() throws IOException {
    int port = unusedPort();

    ProbeResult result = probe(Map.of("PATRONI_RESTAPI_LISTEN", "127.0.0.1:" + port), 1000).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(result.reason())
        .startsWith("nothing answers at http://127.0.0.1:" + port + "/patroni")
        .endsWith(": Patroni is not running");
  }

  @Test
  void aRestApiThatDoesNotAnswerIsDownWithinTheTimeout() throws IOException {
    int port = serve(LEADER_3, true);

    ProbeResult result = probe(Map.of("PATRONI_RESTAPI_LISTEN", "127.0.0.1:" + port), 200).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(result.reason())
        .isEqualTo(
            "Patroni's REST API at http://127.0.0.1:"
                + port
                + "/patroni did not answer within 200 ms");
  }

  private PatroniProbe probe(Map<String, String> patroni, long timeoutMillis) {
    return probe(patroni, timeoutMillis, DCS_LAST_SEEN + 1);
  }

  /** A probe whose clock reads {@code epochSecond}. */
  private PatroniProbe probe(Map<String, String> patroni, long timeoutMillis, long epochSecond) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "PATRONI_ENABLE",
                "true",
                "PATRONI_REPLICATION_PASSWORD",
                "replication-test-pw",
                "POSTGRES_PASSWORD",
                "superuser-test-pw",
                "PGDATA",
                root.resolve("data").toString(),
                "PGCONFIG",
                root.resolve("config").toString(),
                "HOSTNAME",
                "health-test",
                "HEALTH_LISTEN",
                ""));
    env.putAll(patroni);
    return PatroniProbe.forSettings(
        TestSettings.of(env),
        Duration.ofMillis(timeoutMillis),
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  /**
   * The verdict a second after Patroni last reached the DCS, as a member that can reach it answers.
   */
  private ProbeResult verdict(Map<String, Object> fields) {
    return verdict(fields, DCS_LAST_SEEN + 1);
  }

  private ProbeResult verdict(Map<String, Object> fields, long epochSecond) {
    return probe(Map.of(), 1000, epochSecond).verdict(fields);
  }

  /** A fake REST API answering {@code body} on /patroni, or never answering when {@code hang}. */
  private int serve(String body, boolean hang) throws IOException {
    patroni = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    patroni.createContext(
        "/patroni",
        exchange -> {
          try (exchange) {
            if (hang) {
              release.await();
            }
            byte[] bytes = bytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    patroni.start();
    return patroni.getAddress().getPort();
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
