package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One member of a test cluster: a {@link LauncherSandbox} whose launcher runs Patroni, with its own
 * PostgreSQL port, REST API port and health port on 127.0.0.1, or inside a {@link
 * TestNetwork.TestHost} of its own. Asks Patroni's REST API directly, as an operator or a load
 * balancer would.
 */
final class PatroniMember implements AutoCloseable {

  static final String REPLICATION_PASSWORD = "Repl-Pw-7c21b4";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private static final Set<String> LEADER_ROLES = Set.of("master", "primary");

  private final String name;
  private final LauncherSandbox sandbox;
  private final HealthProbing health;
  private final int restPort;
  private final Map<String, String> environment;
  private final String address;
  private final List<String> wrapper;
  private RunningLauncher launcher;

  private PatroniMember(
      String name,
      LauncherSandbox sandbox,
      HealthProbing health,
      int restPort,
      Map<String, String> environment,
      String address,
      List<String> wrapper) {
    this.name = name;
    this.sandbox = sandbox;
    this.health = health;
    this.restPort = restPort;
    this.environment = environment;
    this.address = address;
    this.wrapper = wrapper;
  }

  /**
   * A member of cluster {@code scope} on {@code etcd}, not started yet.
   *
   * @param clusterEnvironment variables every member of the cluster shares (timings, synchronous
   *     mode, settings)
   */
  static PatroniMember create(
      String name, String scope, EtcdServer etcd, Map<String, String> clusterEnvironment) {
    return create(name, scope, etcd, clusterEnvironment, null);
  }

  /**
   * A member as {@link #create}, inside {@code host}: it listens on every address of the host's
   * namespace, tells the cluster its cluster address, and the test reaches it at the management
   * address.
   */
  static PatroniMember createOn(
      TestNetwork.TestHost host,
      String scope,
      EtcdServer etcd,
      Map<String, String> clusterEnvironment) {
    return create(host.name(), scope, etcd, clusterEnvironment, host);
  }

  private static PatroniMember create(
      String name,
      String scope,
      EtcdServer etcd,
      Map<String, String> clusterEnvironment,
      TestNetwork.TestHost host) {
    LauncherSandbox sandbox = LauncherSandbox.empty();
    int restPort = FreePorts.next();
    String listen = host == null ? "127.0.0.1" : "0.0.0.0";
    Map<String, String> environment = new HashMap<>(clusterEnvironment);
    environment.putAll(
        Map.of(
            "PATRONI_ENABLE",
            "true",
            "PATRONI_SCOPE",
            scope,
            "PATRONI_NAME",
            name,
            "PATRONI_ETCD_HOSTS",
            etcd.endpoint(),
            "PATRONI_RESTAPI_LISTEN",
            listen + ":" + restPort,
            "PATRONI_CONNECT_ADDRESS",
            host == null ? "127.0.0.1" : host.clusterAddress(),
            "PATRONI_REPLICATION_PASSWORD",
            REPLICATION_PASSWORD,
            "POSTGRESQL_LISTEN_ADDRESSES",
            host == null ? "127.0.0.1" : "*"));
    HealthProbing health = HealthProbing.of(sandbox);
    environment.putAll(health.listen());
    if (host == null) {
      return new PatroniMember(
          name, sandbox, health, restPort, environment, "127.0.0.1", List.of());
    }
    environment.put("HEALTH_LISTEN", listen + ":" + health.port());
    return new PatroniMember(
        name,
        sandbox,
        health,
        restPort,
        environment,
        host.managementAddress(),
        host.inside(List.of()));
  }

  String name() {
    return name;
  }

  LauncherSandbox sandbox() {
    return sandbox;
  }

  /**
   * The member's own variables on top of its sandbox's, e.g. for another command on the same node.
   */
  Map<String, String> environment() {
    return environment;
  }

  int port() {
    return sandbox.port();
  }

  /** Where the test reaches its PostgreSQL, REST API and health endpoint. */
  String address() {
    return address;
  }

  /** A TCP connection to its PostgreSQL as the superuser. */
  Connection connect() throws SQLException {
    return sandbox.connect(address, LauncherSandbox.PASSWORD);
  }

  /**
   * {@code GET PATH} on the launcher's health endpoint (e.g. {@code /ready}); empty while nothing
   * answers.
   */
  Optional<HttpResponse<String>> launcherHealth(String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + address + ":" + health.port() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The launcher's health endpoint, on its own port. */
  HealthProbing health() {
    return health;
  }

  RunningLauncher launcher() {
    return launcher;
  }

  RunningLauncher start() {
    return start(Map.of());
  }

  /** Starts the member's launcher with its environment plus {@code overrides}. */
  RunningLauncher start(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(environment);
    all.putAll(overrides);
    launcher = sandbox.startWrapped(wrapper, all);
    return launcher;
  }

  /** {@code GET /patroni}, empty while nothing answers. */
  Optional<JsonNode> status() {
    return get("patroni").map(PatroniMember::json);
  }

  /** Holds the leader key and runs PostgreSQL read-write ({@code GET /primary} answers 200). */
  boolean isLeader() {
    return status()
            .filter(
                s ->
                    s.path("state").asText().equals("running")
                        && LEADER_ROLES.contains(s.path("role").asText())
                        && !s.has("cluster_unlocked"))
            .isPresent()
        && statusCode("primary") == 200;
  }

  /** Runs PostgreSQL as a replica ({@code GET /replica} answers 200). */
  boolean isReplica() {
    return statusCode("replica") == 200;
  }

  /** The synchronous standby of a cluster in synchronous mode. */
  boolean isSynchronousStandby() {
    return status().map(s -> s.path("sync_standby").asBoolean(false)).orElse(false);
  }

  /** {@code GET /config}: the cluster-wide configuration in the DCS. */
  JsonNode clusterConfig() {
    return get("config")
        .map(PatroniMember::json)
        .orElseThrow(() -> new AssertionError(name + ": no GET /config"));
  }

  /** {@code POST /switchover}; returns the status code and what Patroni said. */
  String switchover(String leader, String candidate) {
    String body = "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}";
    return send(
        HttpRequest.newBuilder(uri("switchover"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /**
   * {@code PATCH /config}, as {@code patronictl edit-config} does; returns the status code and what
   * Patroni said.
   */
  String patchClusterConfig(String json) {
    return send(
        HttpRequest.newBuilder(uri("config"))
            .timeout(Duration.ofSeconds(30))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .build());
  }

  private static String send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Patroni's pid: the launcher JVM's child running the patroni program. */
  long patroniPid() {
    List<ProcessHandle> patroni =
        ProcessHandle.of(launcher.jvmPid())
            .orElseThrow()
            .children()
            .filter(child -> OsProcesses.commandLineText(child.pid()).contains("/patroni "))
            .toList();
    assertThat(patroni).as("Patroni among the children of %s's launcher", name).hasSize(1);
    return patroni.get(0).pid();
  }

  /**
   * The pid in PGDATA/postmaster.pid: Patroni's postgres, which is not among the launcher's
   * descendants.
   */
  long postmasterPid() {
    try {
      return Long.parseLong(
          Files.readAllLines(sandbox.data().resolve("postmaster.pid"), StandardCharsets.US_ASCII)
              .get(0)
              .trim());
    } catch (IOException e) {
      throw new UncheckedIOException(name + " has no running postgres", e);
    }
  }

  /**
   * SIGKILL to the launcher, Patroni and postgres with its backends, all at once, as when a machine
   * dies: everything whose working directory is in the member's sandbox. Returns when they are
   * gone.
   */
  void killEverything() {
    List<Long> pids = sandbox.processesInside();
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    sandbox.killLeftovers();
  }

  /** The last {@code count} lines its current launcher wrote, for failure reports. */
  String lastOutputLines(int count) {
    if (launcher == null) {
      return "(never started)";
    }
    List<String> lines = launcher.output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /** The member and its {@code GET /patroni} answer, for failure messages. */
  String describe() {
    return name + " (" + status().map(JsonNode::toString).orElse("no REST API") + ")";
  }

  @Override
  public void close() {
    sandbox.close();
  }

  private Optional<String> get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return Optional.of(response.body());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int statusCode(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://" + address + ":" + restPort + "/" + path);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** Where the member keeps Patroni's password file. */
  Path passwordFile() {
    return sandbox.config().resolve("patroni.pgpass");
  }
}
