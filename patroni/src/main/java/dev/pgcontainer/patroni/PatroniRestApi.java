package dev.pgcontainer.patroni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.supervision.HttpCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/** The launcher's calls to its own Patroni's REST API. */
final class PatroniRestApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Patroni 3.0 says master, 4.x primary. */
  private static final Set<String> LEADER_ROLES = Set.of("master", "primary");

  private final HttpClient client;
  private final URI base;

  private PatroniRestApi(HttpClient client, URI base) {
    this.client = client;
    this.base = base;
  }

  /**
   * The API listening at {@code listen}, reached over loopback when it listens on every address.
   */
  static PatroniRestApi listeningAt(HostPort listen) {
    return new PatroniRestApi(
        HttpCalls.client(), URI.create("http://" + listen.connectable() + "/"));
  }

  URI base() {
    return base;
  }

  /**
   * {@code GET /patroni}: this member's state and role; for a running replica in a cluster with a
   * leader also {@code GET /leader}, which tells whether that leader is this member, about to
   * promote its PostgreSQL.
   */
  MemberStatus status() throws IOException, InterruptedException {
    JsonNode answer = json(HttpCalls.get(client, base.resolve("patroni")), "GET /patroni");
    String state = answer.path("state").asText("unknown");
    String role = answer.path("role").asText("unknown");
    boolean clusterUnlocked = answer.path("cluster_unlocked").asBoolean(false);
    boolean holdsLeaderKey =
        state.equals("running")
            && !LEADER_ROLES.contains(role)
            && !clusterUnlocked
            && HttpCalls.get(client, base.resolve("leader")).statusCode() == 200;
    return new MemberStatus(state, role, clusterUnlocked, holdsLeaderKey);
  }

  /** {@code GET /config}: the cluster-wide configuration in the DCS. */
  JsonNode clusterConfig() throws IOException, InterruptedException {
    return json(HttpCalls.get(client, base.resolve("config")), "GET /config");
  }

  /**
   * {@code PATCH /config}: merges {@code patch} (nested maps) into the cluster-wide configuration.
   */
  void patchClusterConfig(Map<String, Object> patch) throws IOException, InterruptedException {
    json(
        HttpCalls.patchJson(client, base.resolve("config"), JSON.writeValueAsString(patch)),
        "PATCH /config");
  }

  private static JsonNode json(HttpResponse<String> response, String call) throws IOException {
    if (response.statusCode() != 200) {
      // Patroni's errors come as an HTML page that says no more than the status
      String body = response.body().strip();
      throw new IOException(
          call
              + " answered "
              + response.statusCode()
              + (body.isEmpty() || body.startsWith("<") ? "" : ": " + body));
    }
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new IOException(
          call + " answered something other than JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @param state e.g. {@code running}, {@code starting}, {@code creating replica}, {@code stopped}
   * @param role {@code master} (3.0) or {@code primary} (4.x) when PostgreSQL is not in recovery,
   *     {@code replica}, {@code uninitialized}, ...
   * @param clusterUnlocked nobody holds the leader key: the cluster is being bootstrapped or has
   *     lost its leader
   * @param holdsLeaderKey this member holds the leader key ({@code GET /leader} answers 200) while
   *     its PostgreSQL still runs as a replica: a restarted leader starts PostgreSQL in recovery,
   *     takes the key, then promotes it
   */
  record MemberStatus(String state, String role, boolean clusterUnlocked, boolean holdsLeaderKey) {

    /**
     * PostgreSQL runs under Patroni ({@code GET /health} would answer 200) and the cluster has a
     * leader: this member, once its bootstrap or promotion is complete, or another one it follows.
     */
    boolean ready() {
      return state.equals("running")
          && !clusterUnlocked
          && (LEADER_ROLES.contains(role) || !holdsLeaderKey);
    }

    /** A writable PostgreSQL in a cluster with a leader: this member holds the leader key. */
    boolean leader() {
      return LEADER_ROLES.contains(role) && !clusterUnlocked;
    }
  }
}
