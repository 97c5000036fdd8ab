package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SLEEP_MODE=true: the container stays up with no server, for maintenance, and stops on SIGTERM at
 * once.
 */
class ImageSleepModeIT {

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void staysUpWithoutAServerAndStopsCleanly() throws Exception {
    try (PgContainer sleeping = ImageUnderTest.pgContainer("sleep-mode").withSleepMode()) {
      sleeping.start();

      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(sleeping.getHealthUrl() + "/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"status\":\"SLEEPING\"");
      assertThat(sleeping.execInContainer("ls", "-A", "/usr/local/pgsql/data").getStdout())
          .as("nothing initialised PGDATA")
          .isEmpty();
      assertThat(sleeping.isRunning()).isTrue();

      int exitCode = Engine.stop(sleeping);

      assertThat(exitCode)
          .as("exit code after docker stop (137: killed)\n%s", sleeping.getLogs())
          .isZero();
    }
  }
}
