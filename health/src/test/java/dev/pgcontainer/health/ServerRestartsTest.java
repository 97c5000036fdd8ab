package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerRestartsTest {

  private final ServerRestarts restarts = new ServerRestarts();

  @Test
  void theFirstIncarnationSeenIsNoRestart() {
    restarts.observe("2026-01-01 10:00:00+00 2026-01-01 10:00:00.1+00");

    assertThat(restarts.count()).isZero();
  }

  @Test
  void theSameIncarnationSeenAgainIsNoRestart() {
    restarts.observe("A");
    restarts.observe("A");
    restarts.observe("A");

    assertThat(restarts.count()).isZero();
  }

  @Test
  void everyChangeOfIncarnationIsOneRestart() {
    restarts.observe("A");
    restarts.observe("B");
    restarts.observe("B");
    restarts.observe("C");

    assertThat(restarts.count()).isEqualTo(2);
  }
}
