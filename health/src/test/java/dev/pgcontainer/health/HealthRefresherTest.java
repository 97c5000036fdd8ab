package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LauncherRequests;
import dev.pgcontainer.instance.RunState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresher that stops refreshing makes the launcher not live and every check DOWN, and live
 * again once it goes on. No server needed.
 */
class HealthRefresherTest {

  private static final HealthTimings FAST =
      HealthTimings.builder()
          .probeDeadline(Duration.ofMillis(200))
          .refreshInterval(Duration.ofMillis(50))
          .build();

  @TempDir Path root;

  @Test
  void aStuckRefresherFailsLivenessUntilItGoesOn() throws IOException {
    Settings settings = TestSettings.under(root, 54329, Map.of());
    RunState state = new RunState();
    AtomicBoolean jammed = new AtomicBoolean();
    CountDownLatch release = new CountDownLatch(1);
    try (HealthChecks checks =
            HealthChecks.forRun(
                settings, state, FAST.probeDeadline(), TestChecks.FEATURES, List.of());
        HealthRefresher refresher =
            HealthRefresher.start(
                checks,
                state::phase,
                FAST,
                report -> {
                  if (jammed.get()) {
                    awaitQuietly(
                        release); // this round never ends until released: the refresher is stuck
                  }
                })) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          new HealthHandler(
              refresher, new HealthMetrics(state, checks.connection(), checks.restarts()), state));
      server.start();
      try {
        // live as soon as a round is done, and while the rounds go on (a loaded machine may delay
        // one past stuckAfter)
        Await.until(
            "/live 200 while refreshing",
            () -> HttpProbe.get(server.getAddress(), "/live").statusCode() == 200);
        jammed.set(true);
        Await.until("a stuck refresher", () -> refresher.stuck().isPresent());
        HttpResponse<String> whileStuck = HttpProbe.get(server.getAddress(), "/live");
        HttpResponse<String> healthWhileStuck =
            HttpProbe.get(server.getAddress(), "/health/disk", "text/plain");
        List<String> healthcheckWhileStuck = new ArrayList<>();
        int healthcheckCode =
            new HealthcheckRequests(refresher)
                .answer(
                    List.of(),
                    new LauncherRequests.Answer() {
                      @Override
                      public void out(String line) {
                        healthcheckWhileStuck.add(line);
                      }

                      @Override
                      public void err(String line) {
                        healthcheckWhileStuck.add("err " + line);
                      }
                    });
        release.countDown();
        Await.until("the refresher going on", () -> refresher.stuck().isEmpty());
        Await.until(
            "/live 200 again",
            () -> HttpProbe.get(server.getAddress(), "/live").statusCode() == 200);

        assertThat(whileStuck.statusCode()).isEqualTo(503);
        assertThat(whileStuck.body())
            .matches(
                "not live: no health check for \\d+ ms: the launcher's health refresher is stuck\n");
        // an old round's answer would be a lie: every check is DOWN saying why
        assertThat(healthWhileStuck.statusCode()).isEqualTo(503);
        assertThat(healthWhileStuck.body())
            .matches(
                "disk DOWN no health check for \\d+ ms: the launcher's health refresher is stuck, 0.0 ms\n");
        assertThat(healthcheckCode).isEqualTo(1);
        assertThat(healthcheckWhileStuck)
            .hasSize(HealthChecks.names(TestChecks.FEATURES).size())
            .allMatch(
                line ->
                    line.matches(
                        "\\w+ DOWN no health check for \\d+ ms: the launcher's health refresher is stuck.*"));
      } finally {
        server.stop(0);
      }
    }
  }

  @Test
  void aRefresherIsStuckOnlyAfterFiveMissedRoundsAndADeadline() {
    assertThat(FAST.stuckAfter())
        .isEqualTo(Duration.ofMillis(450))
        .isGreaterThan(FAST.staleAfter());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
