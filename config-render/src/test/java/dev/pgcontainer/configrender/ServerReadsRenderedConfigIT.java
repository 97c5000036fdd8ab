package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PostgresqlConf;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server reads the rendered files: {@code postgres -C <name> -D <dir> -c
 * config_file=<pgcontainer.conf>} parses the whole include chain and prints one setting, without
 * starting anything. ({@code -C} first lets root run it; {@code -D} only needs to exist.) Values go
 * into custom placeholders such as {@code pgcontainer.v007}, which keep any text verbatim, unlike
 * {@code application_name} or {@code cluster_name}, which PostgreSQL sanitises. A larger batch is
 * read back from a running server in {@link ServerStartsWithRenderedConfigIT}.
 */
class ServerReadsRenderedConfigIT {

  private static final long SEED = 7_331L;

  @TempDir Path temp;

  private Path dataDirectory;

  @BeforeEach
  void createDataDirectory() throws IOException {
    dataDirectory = Files.createDirectories(temp.resolve("data"));
  }

  @Test
  void theServerReadsBackEveryValueExactly() {
    List<String> values = TrickyValues.allSettable(SEED, 40);
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      env.put(variable(i), values.get(i));
    }
    Path mainConfig = renderAndWrite(env);

    // Two at a time: one -C run is ~40 ms of process start, and the machine has two cores.
    Map<Integer, String> mismatches =
        new ForkJoinPool(2)
            .submit(
                () ->
                    IntStream.range(0, values.size())
                        .parallel()
                        .boxed()
                        .filter(
                            i ->
                                !values.get(i).equals(show(mainConfig, "pgcontainer.v" + index(i))))
                        .collect(
                            Collectors.toMap(
                                i -> i,
                                i ->
                                    "set "
                                        + PostgresqlConf.quote(values.get(i))
                                        + ", read back "
                                        + PostgresqlConf.quote(
                                            show(mainConfig, "pgcontainer.v" + index(i))))))
            .join();

    assertThat(values).hasSizeGreaterThan(40);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void theEnvironmentBeatsTheUsersFileWhichBeatsTheBaseSettingsAndAlterSystemBeatsAll()
      throws IOException {
    Path mainConfig =
        renderAndWrite(
            Map.of(
                "POSTGRESQL_PGCONTAINER__BOTH", "from env",
                "POSTGRESQL_PGCONTAINER__ENV_AND_AUTO", "from env"));
    Files.writeString(
        mainConfig.resolveSibling("postgresql.conf"),
        "listen_addresses = '10.1.2.3'\n"
            + "pgcontainer.both = 'from the user''s file'\n"
            + "pgcontainer.user_only = 'from the user''s file'\n");
    Files.writeString(
        dataDirectory.resolve("postgresql.auto.conf"),
        "pgcontainer.env_and_auto = 'from ALTER SYSTEM'\n");

    assertThat(show(mainConfig, "password_encryption"))
        .as("base, set by no one else")
        .isEqualTo("scram-sha-256");
    assertThat(show(mainConfig, "listen_addresses"))
        .as("user's file over base")
        .isEqualTo("10.1.2.3");
    assertThat(show(mainConfig, "pgcontainer.user_only")).isEqualTo("from the user's file");
    assertThat(show(mainConfig, "pgcontainer.both"))
        .as("env over user's file")
        .isEqualTo("from env");
    assertThat(show(mainConfig, "pgcontainer.env_and_auto"))
        .as("ALTER SYSTEM over env")
        .isEqualTo("from ALTER SYSTEM");
  }

  @Test
  void withoutAUsersFileTheBaseSettingsApply() {
    Path mainConfig = renderAndWrite(Map.of("PGLOG", temp.resolve("it's logs").toString()));

    assertThat(show(mainConfig, "listen_addresses")).isEqualTo("*");
    assertThat(show(mainConfig, "hba_file"))
        .isEqualTo(mainConfig.resolveSibling("pg_hba.conf").toString());
    assertThat(show(mainConfig, "log_directory")).isEqualTo(temp.resolve("it's logs").toString());
    assertThat(show(mainConfig, "logging_collector")).isEqualTo("off");
  }

  /**
   * Renders and writes the files for {@code overrides} under the temp directory; returns
   * pgcontainer.conf.
   */
  private Path renderAndWrite(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(overrides);
    env.put("HOSTNAME", "it");
    env.put("POSTGRES_PASSWORD", "s3cret");
    env.put("PGCONFIG", temp.resolve("config").toString());
    env.putIfAbsent("PGLOG", temp.resolve("log").toString());
    Settings settings = Settings.fromEnvironment(env);
    ConfigLayout layout = ConfigLayout.of(settings);
    RenderedFileWriter.of(layout)
        .write(
            ConfigRenderer.withDefaultTemplates()
                .render(RenderInput.of(settings, Sandbox.serverOsUser())));
    return layout.mainConfigFile();
  }

  /** The value the server reads for {@code name}; -C prints it followed by one newline. */
  private String show(Path mainConfig, String name) {
    String stdout =
        PostgresCommands.run(
                "postgres",
                List.of(
                    "-C", name, "-D", dataDirectory.toString(), "-c", "config_file=" + mainConfig),
                Map.of())
            .requireSuccess()
            .stdout();
    assertThat(stdout).as("-C output of %s", name).endsWith("\n");
    return stdout.substring(0, stdout.length() - 1);
  }

  private static String variable(int i) {
    return "POSTGRESQL_PGCONTAINER__V" + index(i);
  }

  private static String index(int i) {
    return String.format("%03d", i);
  }
}
