package dev.pgcontainer.citus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when slept on, and remembers each sleep. */
final class FakeRetryClock implements RetryClock {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Instant now = START;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  /** Time since the start. */
  Duration elapsed() {
    return Duration.between(START, now);
  }

  List<Duration> sleeps() {
    return sleeps;
  }
}
