package dev.pgcontainer.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.core.Settings.HostPort;
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

  /** The API listening at {@code listen}, reached over loopback when it listens on every address. */
  static PatroniRestApi listeningAt(HostPort listen) {
    String host = switch (listen.host()) {
      case "0.0.0.0", "*", "" -> "127.0.0.1";
      case "::" -> "::1";
      default -> listen.host();
    };
    return new PatroniRestApi(HttpCalls.client(), URI.create("http://" + new HostPort(host, listen.port()) + "/"));
  }

  URI base() {
    return base;
  }

  /** {@code GET /patroni}: this member's state and role. */
  MemberStatus status() throws IOException, InterruptedException {
    JsonNode answer = json(HttpCalls.get(client, base.resolve("patroni")), "GET /patroni");
    return new MemberStatus(answer.path("state").asText("unknown"), answer.path("role").asText("unknown"));
  }

  /** {@code GET /config}: the cluster-wide configuration in the DCS. */
  JsonNode clusterConfig() throws IOException, InterruptedException {
    return json(HttpCalls.get(client, base.resolve("config")), "GET /config");
  }

  /** {@code PATCH /config}: merges server settings into the cluster-wide configuration. */
  void patchClusterParameters(Map<String, String> parameters) throws IOException, InterruptedException {
    String patch = JSON.writeValueAsString(Map.of("postgresql", Map.of("parameters", parameters)));
    json(HttpCalls.patchJson(client, base.resolve("config"), patch), "PATCH /config");
  }

  private static JsonNode json(HttpResponse<String> response, String call) throws IOException {
    if (response.statusCode() != 200) {
      throw new IOException(call + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new IOException(call + " answered something other than JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @param state e.g. {@code running}, {@code starting}, {@code creating replica}, {@code stopped}
   * @param role e.g. {@code master}/{@code primary} (the leader), {@code replica}, {@code uninitialized}
   */
  record MemberStatus(String state, String role) {

    /** PostgreSQL is up under Patroni (what {@code GET /health} answers 200 for). */
    boolean running() {
      return state.equals("running");
    }

    boolean leader() {
      return LEADER_ROLES.contains(role);
    }
  }
}
