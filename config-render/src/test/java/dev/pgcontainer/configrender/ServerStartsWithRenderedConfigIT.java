package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real server started with the rendered files (initdb, then {@code pg_ctl start -c
 * config_file=...}): the local peer map logs the server's OS user and root in as the superuser,
 * pg_hba.conf and pg_ident.conf parse without errors and mean what they say for names that need
 * quoting, the socket directory may contain a comma, and a large batch of tricky setting values
 * reads back exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SandboxExtension.class)
class ServerStartsWithRenderedConfigIT {

  private static final String SUPERUSER = "Admin User";
  private static final String SUPERUSER_PASSWORD = "it's a s3cret";
  private static final String REPLICATION_USER = "repl \"user\" #1";
  private static final String REPLICATION_PASSWORD = "r3pl #1";
  private static final long SEED = 4_242L;

  /**
   * Not a requirement: keeps a server that never reloads from hanging the build; generous for a
   * loaded machine.
   */
  private static final Duration RELOAD_GUARD = Duration.ofSeconds(120);

  private static final int VALUE_COUNT = 1_000;

  private final List<String> values = TrickyValues.settable(SEED, VALUE_COUNT);
  private Sandbox sandbox;
  private Path dataDirectory;
  private Path socketDirectory;

  /**
   * A comma-free path to the socket directory: libpq reads a comma in a host as a list separator.
   */
  private Path socketLink;

  private int port;
  private ConfigLayout layout;

  @BeforeAll
  void startServer(Sandbox sandbox) throws IOException {
    this.sandbox = sandbox;
    dataDirectory = sandbox.serverUsersDirectory("data");
    socketDirectory = sandbox.serverUsersDirectory("sockets, here");
    Path logDirectory = sandbox.serverUsersDirectory("log");
    socketLink = Files.createSymbolicLink(sandbox.root().resolve("socket"), socketDirectory);
    port = sandbox.port();

    Settings settings = settings();
    layout = ConfigLayout.of(settings);
    write(settings, REPLICATION_USER);
    PostgresCommands.runAsServerUser(
            "initdb",
            List.of(
                "-D", dataDirectory.toString(), "-U", SUPERUSER, "-E", "UTF8", "--no-locale", "-N"),
            Map.of())
        .requireSuccess();
    PostgresCommands.runAsServerUser(
            "pg_ctl",
            List.of(
                "-D",
                dataDirectory.toString(),
                "-o",
                "-c config_file=" + layout.mainConfigFile(),
                "-l",
                logDirectory.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "start"),
            Map.of())
        .requireSuccess();
    sql(
        "CREATE ROLE "
            + identifier(REPLICATION_USER)
            + " REPLICATION LOGIN PASSWORD "
            + literal(REPLICATION_PASSWORD)
            + "; ALTER ROLE "
            + identifier(SUPERUSER)
            + " PASSWORD "
            + literal(SUPERUSER_PASSWORD));
  }

  @AfterAll
  void stopServer() {
    if (dataDirectory != null && Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      PostgresCommands.runAsServerUser(
          "pg_ctl",
          List.of("-D", dataDirectory.toString(), "-m", "immediate", "-w", "stop"),
          Map.of());
    }
  }

  @Test
  void theServersOsUserLogsInOverTheSocketAsTheSuperuser() {
    assertThat(sql("SELECT current_user")).isEqualTo(SUPERUSER);
  }

  @Test
  void rootLogsInOverTheSocketAsTheSuperuser() {
    assumeTrue(Sandbox.runsAsRoot(), "needs root");

    String user =
        PostgresCommands.run("psql", psqlOverSocket("SELECT current_user"), Map.of())
            .requireSuccess()
            .stdout()
            .strip();

    assertThat(user).isEqualTo(SUPERUSER);
  }

  @Test
  void theSocketIsInADirectoryWhoseNameHoldsAComma() {
    assertThat(socketDirectory.resolve(".s.PGSQL." + port)).exists();
    assertThat(sql("SHOW unix_socket_directories")).isEqualTo("\"" + socketDirectory + "\"");
  }

  @Test
  void pgHbaAndPgIdentParseWithoutErrors() {
    assertThat(sql("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"))
        .isEqualTo("0");
    assertThat(sql("SELECT count(*) FROM pg_ident_file_mappings WHERE error IS NOT NULL"))
        .isEqualTo("0");
    assertThat(
            sql(
                "SELECT string_agg(user_name[1] || ' ' || address, ' | ' ORDER BY line_number)"
                    + " FROM pg_hba_file_rules WHERE database = '{replication}' AND type = 'host'"))
        .isEqualTo(REPLICATION_USER + " 0.0.0.0 | " + REPLICATION_USER + " ::");
    assertThat(
            sql(
                "SELECT string_agg(sys_name || ' -> ' || pg_username, ' | ' ORDER BY line_number)"
                    + " FROM pg_ident_file_mappings WHERE map_name = 'pgcontainer'"))
        .isEqualTo(
            Sandbox.serverOsUser()
                + " -> "
                + SUPERUSER
                + " | root -> "
                + SUPERUSER
                + " | /^(.*)$ -> \\1");
  }

  @Test
  void everyValueIsReadBackExactlyInOneQuery() {
    String rows =
        sql(
            "SELECT string_agg(encode(convert_to(current_setting(format('pgcontainer.v%s', lpad(i::text, 4, '0'))),"
                + " 'UTF8'), 'hex'), ',' ORDER BY i) FROM generate_series(0, "
                + (VALUE_COUNT - 1)
                + ") AS i");
    List<String> readBack =
        Stream.of(rows.split(",", -1))
            .map(hex -> new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8))
            .toList();

    assertThat(readBack).containsExactlyElementsOf(values);
  }

  @Test
  void theReplicationRuleAdmitsExactlyTheQuotedRoleNameAndAQuotedAllIsNotTheKeyword()
      throws Exception {
    assertThat(replicate(REPLICATION_USER, REPLICATION_PASSWORD).exitCode()).isZero();
    assertThat(replicate(SUPERUSER, SUPERUSER_PASSWORD).stderr()).contains("no pg_hba.conf entry");

    // A role literally named "all": a bare `all` would admit every role, the superuser included.
    write(settings(), "all");
    try {
      reload();

      assertThat(replicate(REPLICATION_USER, REPLICATION_PASSWORD).stderr())
          .contains("no pg_hba.conf entry");
      assertThat(replicate(SUPERUSER, SUPERUSER_PASSWORD).stderr())
          .contains("no pg_hba.conf entry");
    } finally {
      write(settings(), REPLICATION_USER);
      reload();
    }
  }

  private Settings settings() {
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", "it");
    env.put("PGDATA", dataDirectory.toString());
    env.put("PGCONFIG", sandbox.config().toString());
    env.put("PGLOG", sandbox.log().toString());
    env.put("PGSOCKET", socketDirectory.toString());
    env.put("POSTGRES_USER", SUPERUSER);
    env.put("POSTGRES_PASSWORD", SUPERUSER_PASSWORD);
    env.put("POSTGRESQL_PORT", String.valueOf(port));
    for (int i = 0; i < values.size(); i++) {
      env.put(String.format("POSTGRESQL_PGCONTAINER__V%04d", i), values.get(i));
    }
    return Settings.fromEnvironment(env);
  }

  private void write(Settings settings, String replicationUser) {
    RenderedFileWriter writer = RenderedFileWriter.of(ConfigLayout.of(settings));
    if (Sandbox.runsAsRoot()) {
      writer = writer.withOwner(Sandbox.serverOsUser(), Sandbox.serverOsUser());
    }
    writer.write(
        ConfigRenderer.withDefaultTemplates()
            .render(
                RenderInput.of(settings, Sandbox.serverOsUser())
                    .withContributors(List.of(replicationRule(replicationUser)))));
  }

  /** A feature's pg_hba.conf lines for streaming replication by {@code user}, as Patroni adds. */
  private static ConfigContributor replicationRule(String user) {
    String token = Quoting.hbaToken(user);
    return new ConfigContributor() {
      @Override
      public ServerConfigPart serverConfig(RenderInput input, ConfigLayout layout) {
        return new ServerConfigPart(
            List.of(
                "host    replication  " + token + "  0.0.0.0/0  scram-sha-256",
                "host    replication  " + token + "  ::/0       scram-sha-256"),
            List.of(),
            List.of(),
            Map.of());
      }
    };
  }

  /**
   * Runs {@code statements} as the server's OS user over the socket (peer login); returns the
   * unaligned output.
   */
  private String sql(String statements) {
    return PostgresCommands.runAsServerUser("psql", psqlOverSocket(statements), Map.of())
        .requireSuccess()
        .stdout()
        .strip();
  }

  private List<String> psqlOverSocket(String statements) {
    return List.of(
        "-X",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        socketLink.toString(),
        "-p",
        String.valueOf(port),
        "-U",
        SUPERUSER,
        "-d",
        "postgres",
        "-c",
        statements);
  }

  /** A physical replication connection over TCP with a password, as Patroni's replicas make. */
  private PostgresCommands.Result replicate(String user, String password) {
    return PostgresCommands.run(
        "psql",
        List.of(
            "-X",
            "-A",
            "-t",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(port),
            "-U",
            user,
            "-d",
            "dbname=postgres replication=true",
            "-c",
            "IDENTIFY_SYSTEM"),
        Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10"));
  }

  /**
   * Reloads the configuration and waits until new sessions use it: the postmaster applies it
   * asynchronously.
   */
  private void reload() throws InterruptedException {
    String loadedBefore = sql("SELECT pg_conf_load_time()");
    sql("SELECT pg_reload_conf()");
    Instant deadline = Instant.now().plus(RELOAD_GUARD);
    while (sql("SELECT pg_conf_load_time()").equals(loadedBefore)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "the server did not reload its configuration within " + RELOAD_GUARD);
      }
      Thread.sleep(50);
    }
  }

  private static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }
}
