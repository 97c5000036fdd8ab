package dev.pgcontainer.health;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.instance.LauncherRequests;
import dev.pgcontainer.instance.RunState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's HTTP endpoint on {@code HEALTH_LISTEN} (JDK HttpServer, two daemon threads):
 * {@code /live}, {@code /ready} and {@code /health} answer from a background refresher's latest
 * report, so they never touch the server; {@code /metrics} asks the server on each scrape. It sets
 * {@value #NO_DELAY_PROPERTY} unless the application did. The same reports answer {@code
 * pgcontainer healthcheck} through the launcher's socket ({@link HealthcheckRequests}), also when
 * no HTTP is served. See docs/health.md.
 */
public final class HealthEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

  private static final int HTTP_THREADS = 2;

  /**
   * The JDK's server writes a response's headers and its body in two writes. With Nagle's algorithm
   * the body then waits for the client's delayed ACK of the headers, 40 ms on Linux, on every
   * request of a kept-alive connection but the first (Prometheus and most probes keep theirs). The
   * JDK reads this property once, when its first server is made; a value set by the application is
   * kept.
   */
  static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final Optional<InetSocketAddress> address;
  private final CompletableFuture<Optional<Serving>> serving;

  private HealthEndpoint(
      Optional<InetSocketAddress> address, CompletableFuture<Optional<Serving>> serving) {
    this.address = address;
    this.serving = serving;
  }

  /**
   * Binds HEALTH_LISTEN on a background thread and returns at once: binding the JDK's HTTP server
   * looks its logger provider up on the whole class path (40 ms), which the launcher overlaps with
   * finding and asking the server binaries. Only {@code settings}' health section is used. {@link
   * Binding#serve} reports a bind failure.
   */
  public static Binding bind(Settings settings) {
    Optional<HostPort> listen = settings.health().listen();
    if (listen.isEmpty()) {
      return new Binding(listen, CompletableFuture.completedFuture(null));
    }
    return new Binding(
        listen,
        CompletableFuture.supplyAsync(
            () -> bind(listen.get()),
            command -> DaemonThreads.named("health-bind").newThread(command).start()));
  }

  /** HEALTH_LISTEN being bound (or disabled), waiting for what to serve. */
  public static final class Binding {

    private final Optional<HostPort> listen;
    private final CompletableFuture<HttpServer> bound;

    private Binding(Optional<HostPort> listen, CompletableFuture<HttpServer> bound) {
      this.listen = listen;
      this.bound = bound;
    }

    /**
     * Starts serving the health of the run behind {@code state} on HEALTH_LISTEN, with the
     * features' checks and the run's probes for some of them ({@link HealthChecks#forRun}), and
     * answers {@code pgcontainer healthcheck} through its door from the same reports, also when
     * HEALTH_LISTEN is empty.
     *
     * <p>The probes, the metrics registry and the first report are made on a background thread, off
     * the run's path to a started server (they load a few hundred classes); requests that arrive
     * meanwhile wait in the listen backlog and are answered once the first report exists. Should
     * that fail, the error is logged and the run goes on without it.
     *
     * @throws PgcontainerException when the address cannot be listened on
     */
    public HealthEndpoint serve(
        Settings settings,
        RunState state,
        List<? extends FeatureCheck> features,
        List<Probe> fromLauncher,
        LauncherRequests requests) {
      return serve(
          settings,
          state,
          HealthTimings.forSettings(settings),
          features,
          fromLauncher,
          Optional.of(requests));
    }

    /** As the public one, with {@code timings} (tests refresh faster) and the door optional. */
    HealthEndpoint serve(
        Settings settings,
        RunState state,
        HealthTimings timings,
        List<? extends FeatureCheck> features,
        List<Probe> fromLauncher,
        Optional<LauncherRequests> requests) {
      if (listen.isEmpty() && requests.isEmpty()) {
        LOG.info(
            "health endpoint disabled (HEALTH_LISTEN is empty); pgcontainer healthcheck probes directly");
        return new HealthEndpoint(
            Optional.empty(), CompletableFuture.completedFuture(Optional.empty()));
      }
      Optional<HttpServer> server;
      try {
        server = Optional.ofNullable(bound.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof PgcontainerException bindFailure ? bindFailure : e;
      }
      CompletableFuture<Optional<Serving>> serving =
          CompletableFuture.supplyAsync(
              () ->
                  Optional.of(
                      HealthEndpoint.serve(
                          server,
                          listen,
                          settings,
                          state,
                          timings,
                          features,
                          fromLauncher,
                          requests)),
              command -> DaemonThreads.named("health-start").newThread(command).start());
      serving.exceptionally(
          failure -> {
            server.ifPresent(started -> started.stop(0));
            LOG.error(
                "the health checks could not start; the run goes on without them: {}",
                failure.getCause() == null ? failure : failure.getCause());
            return Optional.empty();
          });
      return new HealthEndpoint(server.map(HttpServer::getAddress), serving);
    }
  }

  private static Serving serve(
      Optional<HttpServer> server,
      Optional<HostPort> listen,
      Settings settings,
      RunState state,
      HealthTimings timings,
      List<? extends FeatureCheck> features,
      List<Probe> fromLauncher,
      Optional<LauncherRequests> requests) {
    HealthChecks checks =
        HealthChecks.forRun(settings, state, timings.probeDeadline(), features, fromLauncher);
    HealthMetrics metrics = new HealthMetrics(state, checks.connection(), checks.restarts());
    HealthRefresher refresher =
        HealthRefresher.start(checks, state::phase, timings, metrics::record);
    List<Runnable> closers = new ArrayList<>();
    requests.ifPresent(
        door -> {
          door.serve(HealthcheckRequests.COMMAND, new HealthcheckRequests(refresher));
          closers.add(() -> door.stopServing(HealthcheckRequests.COMMAND));
        });
    if (server.isPresent()) {
      ExecutorService executor =
          Executors.newFixedThreadPool(HTTP_THREADS, DaemonThreads.named("health-http"));
      server.get().createContext("/", new HealthHandler(refresher, metrics, state));
      server.get().setExecutor(executor);
      server.get().start();
      closers.add(() -> server.get().stop(0));
      closers.add(executor::shutdownNow);
      LOG.info(
          "health endpoint on http://{} (/live /ready /health /metrics); probe deadline {} ms",
          listen.get(),
          timings.probeDeadline().toMillis());
    } else {
      LOG.info(
          "health endpoint disabled (HEALTH_LISTEN is empty); pgcontainer healthcheck asks the launcher through"
              + " its socket; probe deadline {} ms",
          timings.probeDeadline().toMillis());
    }
    closers.add(refresher::close);
    closers.add(checks::close);
    return new Serving(metrics, List.copyOf(closers));
  }

  private static HttpServer bind(HostPort listen) {
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
    try {
      return HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot serve health on HEALTH_LISTEN="
              + listen
              + " ("
              + e.getMessage()
              + "): free that port, choose another address, or set HEALTH_LISTEN to empty to disable the endpoint",
          e);
    }
  }

  /** Adds another module's gauges to {@code /metrics} (nothing when the endpoint is disabled). */
  public void addGauges(GaugeSource source) {
    serving.thenAccept(started -> started.ifPresent(endpoint -> endpoint.metrics().add(source)));
  }

  /** Where it listens; empty when disabled. */
  public Optional<InetSocketAddress> address() {
    return address;
  }

  /**
   * Stops serving and checking, and closes the connection to the server (after the start has
   * finished).
   */
  @Override
  public void close() {
    try {
      serving.join().ifPresent(endpoint -> endpoint.closers().forEach(Runnable::run));
    } catch (CompletionException e) {
      // said when it happened
    }
  }

  /** What a started endpoint has: the registry other modules add gauges to, and what stops it. */
  private record Serving(HealthMetrics metrics, List<Runnable> closers) {}
}
