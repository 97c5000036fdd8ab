package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.RunState;
import java.util.List;
import java.util.Optional;

/**
 * An endpoint without the launcher's probes and door, as the tests of the endpoint itself start it.
 */
final class TestEndpoints {

  private TestEndpoints() {}

  static HealthEndpoint start(Settings settings, RunState state) {
    return start(settings, state, HealthTimings.forSettings(settings));
  }

  static HealthEndpoint start(Settings settings, RunState state, HealthTimings timings) {
    return HealthEndpoint.bind(settings)
        .serve(settings, state, timings, TestChecks.FEATURES, List.of(), Optional.empty());
  }
}
