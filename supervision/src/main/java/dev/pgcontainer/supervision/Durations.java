package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.Locale;

/** Durations as operators read them: {@code 250 ms}, {@code 1.5 s}. */
public final class Durations {

  private Durations() {}

  public static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
