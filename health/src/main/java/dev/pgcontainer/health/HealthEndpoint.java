package dev.pgcontainer.health;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.process.RunState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's HTTP endpoint on {@code HEALTH_LISTEN} (JDK HttpServer, two daemon threads):
 *
 * <ul>
 *   <li>{@code /live}: 200 unless the launcher is ending or its server process died (restarting would help);
 *   <li>{@code /ready}: 200 when clients can use the server, else 503 with the reason;
 *   <li>{@code /health} and {@code /health/NAME}: every check, or one, as JSON, or as the healthcheck's lines when the
 *       request accepts {@code text/plain}; 200 when healthy, else 503;
 *   <li>{@code /metrics}: Prometheus text format.
 * </ul>
 *
 * <p>{@code /live}, {@code /ready} and {@code /health} answer from the latest report of a background refresher (at
 * most a second old, redone at once when the phase changes): they cost microseconds, never touch the server, and a
 * flood of requests cannot turn into a flood of queries. {@code /metrics} asks the server on each scrape, as
 * Prometheus expects, with one query batch on the connection the probes also use.
 */
public final class HealthEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

  private static final int HTTP_THREADS = 2;

  private final Optional<InetSocketAddress> address;
  private final Optional<HealthMetrics> metrics;
  private final List<Runnable> closers;

  private HealthEndpoint(
      Optional<InetSocketAddress> address, Optional<HealthMetrics> metrics, List<Runnable> closers) {
    this.address = address;
    this.metrics = metrics;
    this.closers = closers;
  }

  /**
   * Starts serving the health of the run behind {@code state} on HEALTH_LISTEN; when HEALTH_LISTEN is empty, returns an
   * endpoint that serves nothing, so callers can always close it.
   *
   * @throws PgcontainerException when the address cannot be listened on
   */
  public static HealthEndpoint start(Settings settings, RunState state) {
    return start(settings, state, HealthChecks.backupStandIn(settings));
  }

  /**
   * As {@link #start(Settings, RunState)}, with the launcher's probe of its backups (named {@value
   * HealthChecks#BACKUP}).
   */
  public static HealthEndpoint start(Settings settings, RunState state, Probe backup) {
    return start(settings, state, HealthTimings.forSettings(settings), backup);
  }

  /** As {@link #start(Settings, RunState)}, with explicit timings. */
  public static HealthEndpoint start(Settings settings, RunState state, HealthTimings timings) {
    return start(settings, state, timings, HealthChecks.backupStandIn(settings));
  }

  private static HealthEndpoint start(Settings settings, RunState state, HealthTimings timings, Probe backup) {
    Optional<HostPort> listen = settings.health().listen();
    if (listen.isEmpty()) {
      LOG.info("health endpoint disabled (HEALTH_LISTEN is empty); pgcontainer healthcheck probes directly");
      return new HealthEndpoint(Optional.empty(), Optional.empty(), List.of());
    }
    HttpServer server = bind(listen.get());
    HealthChecks checks = HealthChecks.forRun(settings, state, timings.probeDeadline(), backup);
    HealthMetrics metrics = new HealthMetrics(state, checks.connection());
    HealthRefresher refresher = HealthRefresher.start(checks, state::phase, timings, metrics::record);
    ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, DaemonThreads.named("health-http"));
    server.createContext("/", new HealthHandler(refresher, metrics, state));
    server.setExecutor(executor);
    server.start();
    LOG.info("health endpoint on http://{} (/live /ready /health /metrics); probe deadline {} ms", listen.get(),
        timings.probeDeadline().toMillis());
    return new HealthEndpoint(Optional.of(server.getAddress()), Optional.of(metrics),
        List.of(() -> server.stop(0), executor::shutdownNow, refresher::close, checks::close));
  }

  private static HttpServer bind(HostPort listen) {
    try {
      return HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
    } catch (IOException e) {
      throw new PgcontainerException("cannot serve health on HEALTH_LISTEN=" + listen + " (" + e.getMessage()
          + "): free that port, choose another address, or set HEALTH_LISTEN to empty to disable the endpoint", e);
    }
  }

  /** Adds another module's gauges to {@code /metrics} (nothing when the endpoint is disabled). */
  public void addGauges(GaugeSource source) {
    metrics.ifPresent(registry -> registry.add(source));
  }

  /** Where it listens; empty when disabled. */
  public Optional<InetSocketAddress> address() {
    return address;
  }

  /** Stops serving and checking, and closes the connection to the server. */
  @Override
  public void close() {
    closers.forEach(Runnable::run);
  }
}
