package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  private static final String PASSWORD = "Pw-LeakCanary-5be1";

  @TempDir Path out;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Test
  void withCitusTheServersPasswordFileIsRenderedReadableByItsOwnerOnly() throws IOException {
    int exitCode = render(Map.of("CITUS_ENABLE", "true", "CITUS_DATABASE", "shop"));

    Path pgpass = out.resolve("cfg/citus.pgpass");
    assertThat(exitCode).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(pgpass)).isEqualTo("*:*:shop:postgres:" + PASSWORD + "\n");
    assertThat(Files.getPosixFilePermissions(pgpass))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(stdout.toString(StandardCharsets.UTF_8))
        .contains("wrote " + pgpass)
        .doesNotContain(PASSWORD);
  }

  @Test
  void withoutCitusThereIsNoPasswordFile() {
    assertThat(render(Map.of())).isZero();

    assertThat(out.resolve("cfg/pg_hba.conf")).exists();
    assertThat(out.resolve("cfg/citus.pgpass")).doesNotExist();
  }

  private int render(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "n",
                "PGDATA",
                "/data",
                "PGCONFIG",
                "/cfg",
                "POSTGRES_PASSWORD",
                PASSWORD));
    env.putAll(overrides);
    // Rendered where no server is installed (a build machine): this machine's server has no Citus,
    // which render, as validate and run, would report.
    return new Cli(
            env,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8),
            environment -> Optional.empty())
        .execute(new String[] {"render", "--out", out.toString()});
  }
}
