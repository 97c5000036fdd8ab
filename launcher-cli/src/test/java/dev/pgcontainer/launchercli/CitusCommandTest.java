package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pgcontainer citus ...} without a server: usage and a node without Citus. */
class CitusCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void anythingButStatusIsAUsageError() {
    assertThat(run(Map.of("CITUS_ENABLE", "true"), "citus")).isEqualTo(2);
    assertThat(run(Map.of("CITUS_ENABLE", "true"), "citus", "rebalance")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("citus takes one subcommand: status")
        .contains("citus status");
  }

  @Test
  void aNodeWithoutCitusHasNoStatusToShow() {
    assertThat(run(Map.of(), "citus", "status")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("this node runs no Citus (CITUS_ENABLE is not true)");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private int run(Map<String, String> overrides, String... arguments) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "n",
                "POSTGRES_PASSWORD",
                "pw",
                "PGDATA",
                "/nonexistent/data",
                "PGCONFIG",
                "/nonexistent/config"));
    env.putAll(overrides);
    return new Cli(
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(arguments);
  }
}
