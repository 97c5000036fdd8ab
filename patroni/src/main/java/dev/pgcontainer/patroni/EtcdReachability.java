package dev.pgcontainer.patroni;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.supervision.Durations;
import dev.pgcontainer.supervision.HttpCalls;
import dev.pgcontainer.supervision.StopRequested;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for etcd before Patroni starts. Patroni itself would retry forever, and an etcd that never
 * comes is better reported by a launcher that has made nothing: no Patroni, no initdb, no cluster
 * in PGDATA (an interrupted initialisation found there was removed before, see {@link PatroniRun}).
 * Each endpoint is asked etcd's own {@code GET /health} (200 with {@code "health":"true"} once it
 * sees an etcd leader); one healthy endpoint is enough, as Patroni moves between endpoints by
 * itself. No answer is awaited beyond TIMEOUT: each request may take only the time left.
 */
final class EtcdReachability {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdReachability.class);

  private static final Duration PAUSE = Duration.ofMillis(250);
  private static final String HEALTHY = "\"health\":\"true\"";

  private EtcdReachability() {}

  /**
   * Returns once an endpoint is healthy; a stop signal ends the wait with {@link StopRequested}.
   *
   * @throws PgcontainerException when none is healthy within {@code timeout}, naming what each
   *     endpoint answered
   */
  static void await(List<HostPort> endpoints, Duration timeout, Supervisor supervisor) {
    supervisor.interruptibly("the wait for etcd", () -> awaitHealthy(endpoints, timeout));
  }

  private static HostPort awaitHealthy(List<HostPort> endpoints, Duration timeout)
      throws InterruptedException {
    HttpClient client = HttpCalls.client();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<HostPort, String> problems = new LinkedHashMap<>();
    for (int round = 1; ; round++) {
      for (HostPort endpoint : endpoints) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Optional<String> problem =
            problem(client, endpoint, min(HttpCalls.ANSWER_TIMEOUT, Duration.ofNanos(left)));
        if (problem.isEmpty()) {
          LOG.info("etcd is healthy at {}", endpoint);
          return endpoint;
        }
        problems.put(endpoint, problem.get());
      }
      if (round == 1) {
        LOG.warn(
            "etcd is not reachable yet ({}); retrying for up to {} (TIMEOUT)",
            describe(problems),
            Durations.human(timeout));
      }
      if (System.nanoTime() + PAUSE.toNanos() > deadline) {
        throw new PgcontainerException(
            "etcd did not become reachable within "
                + Durations.human(timeout)
                + " (TIMEOUT): "
                + describe(problems)
                + ". Start etcd, or fix PATRONI_ETCD_HOSTS (host:port of etcd's"
                + " client URLs, comma-separated). Patroni was not started, so no cluster was made in PGDATA.");
      }
      Thread.sleep(PAUSE.toMillis());
    }
  }

  private static Optional<String> problem(
      HttpClient client, HostPort endpoint, Duration answerTimeout) throws InterruptedException {
    try {
      HttpResponse<String> response =
          HttpCalls.get(client, URI.create("http://" + endpoint + "/health"), answerTimeout);
      if (response.statusCode() == 200 && response.body().replace(" ", "").contains(HEALTHY)) {
        return Optional.empty();
      }
      return Optional.of(
          "answers "
              + response.statusCode()
              + " "
              + response.body().strip()
              + " (an etcd without a leader, or not etcd at all)");
    } catch (IOException e) {
      return Optional.of(HttpCalls.describe(e));
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String describe(Map<HostPort, String> problems) {
    return problems.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("; "));
  }
}
