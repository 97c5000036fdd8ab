package dev.pgcontainer.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pages of the {@link HealthEndpoint}. */
final class HealthHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

  /**
   * Every answer names the phase, which also tells a healthcheck it reached pgcontainer and not
   * another program.
   */
  static final String PHASE_HEADER = "Pgcontainer-Phase";

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String HEALTH_PATH = "/health";

  private final HealthRefresher refresher;
  private final HealthMetrics metrics;
  private final RunState state;

  HealthHandler(HealthRefresher refresher, HealthMetrics metrics, RunState state) {
    this.refresher = refresher;
    this.metrics = metrics;
    this.state = state;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set(PHASE_HEADER, state.phase().name());
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT, "only GET and HEAD\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/live" -> live(exchange);
        case "/ready" -> ready(exchange);
        case "/metrics" -> send(exchange, 200, metrics.contentType(), metrics.scrape());
        default -> {
          if (path.equals(HEALTH_PATH) || path.startsWith(HEALTH_PATH + "/")) {
            health(exchange, path.substring(HEALTH_PATH.length()));
          } else {
            send(
                exchange,
                404,
                TEXT,
                "no such page; there are /live, /ready, /health, /health/NAME and /metrics\n");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("answering {} failed: {}", exchange.getRequestURI(), e.toString());
      throw e;
    }
  }

  private void live(HttpExchange exchange) throws IOException {
    Optional<String> stuck = refresher.stuck();
    HealthReport report = refresher.latest();
    if (stuck.isPresent()) {
      send(exchange, 503, TEXT, "not live: " + stuck.get() + "\n");
    } else if (report.live() && state.phase() != Phase.STOPPED) {
      send(exchange, 200, TEXT, "live\n");
    } else {
      send(exchange, 503, TEXT, "not live: " + String.join("; ", report.lines()) + "\n");
    }
  }

  private void ready(HttpExchange exchange) throws IOException {
    if (refresher.isReady()) {
      send(exchange, 200, TEXT, "ready\n");
    } else {
      send(exchange, 503, TEXT, "not ready: " + refresher.notReadyReason() + "\n");
    }
  }

  /** {@code suffix} is empty for every check, or {@code /NAME} for one. */
  private void health(HttpExchange exchange, String suffix) throws IOException {
    HealthReport report = refresher.current();
    if (!suffix.isEmpty()) {
      String name = suffix.substring(1);
      if (!report.checks().containsKey(name)) {
        send(
            exchange,
            404,
            TEXT,
            "no check named '" + name + "'; there are " + report.checks().keySet() + "\n");
        return;
      }
      report = report.only(name);
    }
    int code = report.isHealthy() ? 200 : 503;
    if (acceptsText(exchange)) {
      send(exchange, code, TEXT, String.join("\n", report.lines()) + "\n");
    } else {
      send(exchange, code, "application/json", HealthJson.write(report));
    }
  }

  /**
   * The healthcheck asks for text: parsing JSON would cost it a cold ObjectMapper (about 300 ms).
   */
  private static boolean acceptsText(HttpExchange exchange) {
    List<String> accept = exchange.getRequestHeaders().get("Accept");
    return accept != null && accept.stream().anyMatch(value -> value.startsWith("text/plain"));
  }

  private static void send(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    send(exchange, code, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int code, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
