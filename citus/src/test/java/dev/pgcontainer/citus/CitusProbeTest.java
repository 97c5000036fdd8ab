package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code citus} check at the start of a run, for each kind of node (registration itself:
 * CitusClusterIT).
 */
class CitusProbeTest {

  private static ProbeResult atStart(boolean registersItself, String... namesAndValues) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "n",
                "POSTGRES_PASSWORD",
                "pw",
                "CITUS_ENABLE",
                "true",
                "PATRONI_REPLICATION_PASSWORD",
                "rpw"));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new CitusProbe(CitusState.forSettings(TestSettings.of(env)), registersItself).check();
  }

  @Test
  void aWorkerThatRegistersItselfIsDegradedNotRegisteredUntilItIs() {
    ProbeResult result =
        atStart(
            true,
            "CITUS_ROLE",
            "worker",
            "CITUS_COORDINATOR_HOST",
            "c",
            "CITUS_AUTO_REGISTER_WORKERS",
            "true");

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason()).isEqualTo("not registered: the server is not ready yet");
    assertThat(result.details())
        .containsEntry("role", "worker")
        .containsEntry("registration", "not_registered");
  }

  @Test
  void aCoordinatorHasNothingToRegister() {
    ProbeResult result = atStart(false, "CITUS_ROLE", "coordinator");

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).isEqualTo("coordinator: not a worker, nothing to register");
  }

  @Test
  void aWorkerTheOperatorAddsIsUpSayingSo() {
    ProbeResult result = atStart(false, "CITUS_ROLE", "worker", "CITUS_COORDINATOR_HOST", "c");

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).startsWith("CITUS_AUTO_REGISTER_WORKERS=false");
  }

  @Test
  void underPatroniRegistrationIsPatronis() {
    ProbeResult result =
        atStart(false, "CITUS_ROLE", "worker", "CITUS_GROUP", "1", "PATRONI_ENABLE", "true");

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).startsWith("registration is Patroni's");
    assertThat(result.details()).containsEntry("registration", "managed_by_patroni");
  }
}
