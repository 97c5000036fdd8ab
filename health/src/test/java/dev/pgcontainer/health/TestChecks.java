package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.time.Duration;
import java.util.List;

/**
 * Two features' checks, placed as the launcher's are: one between postgresql and disk, one after
 * process.
 */
final class TestChecks {

  static final FeatureCheck EARLY = standIn("early", 20);
  static final FeatureCheck LATE = standIn("late", 60);
  static final List<FeatureCheck> FEATURES = List.of(LATE, EARLY);

  private TestChecks() {}

  /** A check of a feature that is not enabled. */
  private static FeatureCheck standIn(String name, int rank) {
    return new FeatureCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int rank() {
        return rank;
      }

      @Override
      public Probe probe(Settings settings, Duration deadline) {
        return new LauncherStandInProbe(name, false, "its state");
      }
    };
  }
}
