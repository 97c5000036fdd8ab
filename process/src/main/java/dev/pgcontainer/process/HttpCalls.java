package dev.pgcontainer.process;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Short HTTP calls to the launcher's neighbours (etcd, Patroni's REST API): HTTP/1.1 (Patroni's Python server knows
 * no HTTP/2 upgrade), and each call bounded by {@link #TIMEOUT} so a hung peer cannot stall the launcher.
 */
final class HttpCalls {

  /** Both answer within milliseconds when healthy; a second means they are not. */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private HttpCalls() {}

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> patchJson(HttpClient client, URI uri, String json)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A failed call in a few words: the JDK leaves the message of a refused connection empty. */
  static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + Durations.human(TIMEOUT);
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + Durations.human(TIMEOUT);
    }
    if (e instanceof ConnectException) {
      return e.getMessage() == null ? "connection refused" : e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
