package dev.pgcontainer.supervision;

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
 * Short HTTP calls to the launcher's neighbours (etcd, Patroni's REST API): HTTP/1.1 (Patroni's
 * Python server knows no HTTP/2 upgrade), each bounded so a hung peer cannot stall the launcher.
 */
public final class HttpCalls {

  /**
   * A listening peer on a reachable host accepts in well under a millisecond; a second means it is
   * not there.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Both answer in milliseconds when idle, but Patroni answers from a Python thread that competes
   * with its own work (measured: a bootstrapping Patroni let a 1 s request time out).
   */
  public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private HttpCalls() {}

  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  public static HttpResponse<String> get(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    return get(client, uri, ANSWER_TIMEOUT);
  }

  /** As {@link #get(HttpClient, URI)} with a shorter bound, e.g. what is left of a deadline. */
  public static HttpResponse<String> get(HttpClient client, URI uri, Duration answerTimeout)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(answerTimeout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> patchJson(HttpClient client, URI uri, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(ANSWER_TIMEOUT)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A failed call in a few words: the JDK leaves the message of a refused connection empty. */
  public static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + Durations.human(CONNECT_TIMEOUT);
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + Durations.human(ANSWER_TIMEOUT);
    }
    if (e instanceof ConnectException) {
      return e.getMessage() == null ? "connection refused" : e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
