package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @TempDir Path directory;

  private int execute(String... args) {
    return execute(Map.of(), args);
  }

  private int execute(Map<String, String> env, String... args) {
    Cli cli =
        new Cli(
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8),
            environment -> Optional.empty());
    return cli.execute(args);
  }

  @Test
  void whatRunsTheServer() {
    assertThat(Cli.runsServer(new String[] {"run"})).isTrue();
    assertThat(Cli.runsServer(new String[] {"postgres"})).isTrue();
    assertThat(Cli.runsServer(new String[] {"-c", "fsync=off"})).isTrue();
    assertThat(Cli.runsServer(new String[] {"-h", "0.0.0.0"})).isTrue();
    assertThat(Cli.runsServer(new String[] {"-h"})).isFalse();
    assertThat(Cli.runsServer(new String[] {"--help"})).isFalse();
    assertThat(Cli.runsServer(new String[] {"--version"})).isFalse();
    assertThat(Cli.runsServer(new String[] {"validate"})).isFalse();
    assertThat(Cli.runsServer(new String[] {"psql"})).isFalse();
  }

  @Test
  void aServerOptionThatRunsNoServerIsAUsageErrorBeforeAnythingElse() {
    assertThat(execute("postgres", "--version")).isEqualTo(ExitCode.USAGE);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("option --version is not supported");
  }

  @Test
  void anotherCommandReachingTheJvmIsAUsageErrorThatSaysWhoExecutesIt() {
    assertThat(execute("echo", "hello")).isEqualTo(ExitCode.USAGE);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("unknown command 'echo'", "bin/pgcontainer");
  }

  @Test
  void initScriptsUnderPatroniAreAConfigurationErrorBeforeAnythingIsTouched() throws IOException {
    Path scripts = Files.createDirectory(directory.resolve("initdb.d"));
    Files.writeString(scripts.resolve("schema.sql"), "CREATE TABLE t (id int);\n");
    Path data = directory.resolve("data");

    int exitCode =
        execute(
            Map.of(
                "PATRONI_ENABLE",
                "true",
                "POSTGRES_PASSWORD",
                "pw",
                "PATRONI_REPLICATION_PASSWORD",
                "rpw",
                "PGCONTAINER_INITDB_SCRIPTS",
                scripts.toString(),
                "PGDATA",
                data.toString(),
                "HEALTH_LISTEN",
                ""),
            "postgres");

    assertThat(exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains(
            "PGCONTAINER_INITDB_SCRIPTS='" + scripts + "': holds init scripts",
            "PATRONI_ENABLE=true");
    assertThat(data).doesNotExist();
  }

  @Test
  void prepareTakesTheRunsCommandLineAfterTheUser() {
    assertThat(execute("prepare", "postgres", "psql")).isEqualTo(ExitCode.USAGE);
    assertThat(execute("prepare", "postgres", "postgres", "-c", "bad name=1"))
        .isEqualTo(ExitCode.CONFIGURATION);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("-c bad name");
  }
}
