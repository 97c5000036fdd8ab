package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks a running launcher's endpoint for the healthcheck's lines ({@code GET /health[/NAME]},
 * {@code Accept: text/plain}). HttpURLConnection because it starts fast: about 60-100 ms cold here,
 * against about 500 ms for java.net.http.HttpClient, in a process that lives a fraction of a
 * second.
 */
final class EndpointClient {

  private final HostPort listen;
  private final Duration connectTimeout;

  EndpointClient(HostPort listen, Duration connectTimeout) {
    this.listen = listen;
    this.connectTimeout = connectTimeout;
  }

  /**
   * The endpoint's answer about {@code checks}, read until {@code answerBy} ({@link
   * System#nanoTime()}); when it takes the request but does not answer by then, the launcher is
   * stuck and every check is DOWN saying so.
   *
   * @throws IOException when the endpoint cannot be reached or is not a pgcontainer endpoint: probe
   *     directly then
   */
  HealthcheckAnswer ask(Optional<String> only, List<String> checks, long answerBy)
      throws IOException {
    URI uri = URI.create(base() + "/health" + only.map(name -> "/" + name).orElse(""));
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout(millis(connectTimeout));
    // set before connecting: a connection made already keeps the read timeout it had (none); the
    // connect's allowance is kept out of it, so that connect and read together still end by
    // answerBy
    connection.setReadTimeout(
        millis(Duration.ofNanos(answerBy - System.nanoTime()).minus(connectTimeout)));
    connection.setRequestProperty("Accept", "text/plain");
    try {
      connection.connect(); // its failures mean "unreachable" and go to the caller
      long asked = System.nanoTime();
      int code;
      try {
        code = connection.getResponseCode();
      } catch (SocketTimeoutException e) {
        return stuck(checks, Duration.ofNanos(System.nanoTime() - asked));
      }
      if (connection.getHeaderField(HealthHandler.PHASE_HEADER) == null
          || (code != 200 && code != 503)) {
        throw new IOException(
            uri + " answered HTTP " + code + " but is not a pgcontainer health endpoint");
      }
      try (InputStream body =
          code == 200 ? connection.getInputStream() : connection.getErrorStream()) {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        return new HealthcheckAnswer(
            code == 200,
            text.lines().toList(),
            HealthcheckAnswer.Source.ENDPOINT,
            Optional.empty());
      }
    } finally {
      connection.disconnect();
    }
  }

  String base() {
    return "http://" + listen.connectable();
  }

  private HealthcheckAnswer stuck(List<String> checks, Duration waited) {
    ProbeResult down =
        ProbeResult.down(
                "the health endpoint at "
                    + base()
                    + " took the request but gave no answer"
                    + " within "
                    + waited.toMillis()
                    + " ms: the launcher is stuck or starved of CPU")
            .withDuration(waited);
    return new HealthcheckAnswer(
        false,
        checks.stream().map(name -> name + " " + down.describe()).toList(),
        HealthcheckAnswer.Source.ENDPOINT,
        Optional.empty());
  }

  private static int millis(Duration timeout) {
    return (int) Math.max(1, timeout.toMillis());
  }
}
