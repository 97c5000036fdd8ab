package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a running launcher's endpoint for the healthcheck's lines ({@code GET /health[/NAME]}, {@code Accept:
 * text/plain}). HttpURLConnection because it starts fast: about 60-100 ms cold here, against about 500 ms for
 * java.net.http.HttpClient, in a process that lives a fraction of a second.
 */
final class EndpointClient {

  private final HostPort listen;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  EndpointClient(HostPort listen, Duration connectTimeout, Duration readTimeout) {
    this.listen = listen;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** The answer, or an IOException saying why there is none (refused, timed out, not a pgcontainer endpoint). */
  HealthcheckAnswer ask(Optional<String> only) throws IOException {
    URI uri = URI.create(ListenAddress.httpBase(listen) + "/health" + only.map(name -> "/" + name).orElse(""));
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout(Math.max(1, (int) connectTimeout.toMillis()));
    connection.setReadTimeout(Math.max(1, (int) readTimeout.toMillis()));
    connection.setRequestProperty("Accept", "text/plain");
    try {
      int code = connection.getResponseCode();
      if (connection.getHeaderField(HealthHandler.PHASE_HEADER) == null || (code != 200 && code != 503)) {
        throw new IOException(uri + " answered HTTP " + code + " but is not a pgcontainer health endpoint");
      }
      try (InputStream body = code == 200 ? connection.getInputStream() : connection.getErrorStream()) {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        return new HealthcheckAnswer(code == 200, text.lines().toList(), HealthcheckAnswer.Source.ENDPOINT,
            Optional.empty());
      }
    } finally {
      connection.disconnect();
    }
  }

  String describe() {
    return ListenAddress.httpBase(listen);
  }
}
