package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The citus check where the launcher's own probe is out of reach. */
class CitusCheckTest {

  @Test
  void outsideTheLauncherCitusSaysWhereItsRegistrationIsKnown() throws Exception {
    assertThat(CitusFeature.CHECK.probe(settings(Map.of()), Duration.ofSeconds(1)).check().reason())
        .isEqualTo("not enabled");
    assertThat(
            CitusFeature.CHECK
                .probe(settings(Map.of("CITUS_ENABLE", "true")), Duration.ofSeconds(1))
                .check()
                .reason())
        .isEqualTo(
            "enabled; only the running launcher knows a worker's registration: GET /health/citus on its endpoint");
  }

  private static Settings settings(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(Map.of("HOSTNAME", "db-0", "POSTGRES_PASSWORD", "s3cret"));
    env.putAll(overrides);
    return TestSettings.of(env);
  }
}
