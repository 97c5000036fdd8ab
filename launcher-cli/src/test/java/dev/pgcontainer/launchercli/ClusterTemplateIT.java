package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: a first start that copies a cluster template makes the cluster initdb would have made.
 * For the official image's defaults and for Testcontainers' (user and database {@code test}), a
 * template made by {@code pgcontainer cluster-template} (the image build's command) is copied by
 * one run, and initdb makes the cluster of another run of the same environment; their catalogs,
 * dumps, settings, files and pg_controldata are compared, with only what differs between any two
 * initdb runs left out (each exclusion says why). Two copies of one template get system identifiers
 * of their own, and an environment the templates were not made for runs initdb.
 */
class ClusterTemplateIT {

  private static final String TEMPLATES_VARIABLE = "PGCONTAINER_CLUSTER_TEMPLATES";

  /**
   * pg_controldata fields that differ between two clusters initdb made with the same arguments: the
   * identifier and the nonce are drawn anew for each cluster (the copy's too), and the times are
   * those of each cluster's checkpoints.
   */
  private static final Set<String> CONTROL_FIELDS_OF_EACH_CLUSTER =
      Set.of(
          "Database system identifier",
          "Mock authentication nonce",
          "pg_control last modified",
          "Time of latest checkpoint");

  /**
   * Settings that name where each sandbox keeps its files and listens, which differ between any two
   * sandboxes.
   */
  private static final Set<String> SETTINGS_OF_EACH_SANDBOX =
      Set.of(
          "config_file",
          "data_directory",
          "hba_file",
          "ident_file",
          "port",
          "unix_socket_directories",
          "log_directory",
          "external_pid_file");

  /**
   * Instead of the random key each dump's psql meta-command guard would have, which differs between
   * any two dumps.
   */
  private static final String DUMP_RESTRICT_KEY = "pgcontainerClusterTemplateIT";

  /**
   * The catalogs that make a cluster what it is, per database; password hashes are salted, so
   * compared apart.
   */
  private static final Map<String, String> CATALOG_QUERIES = catalogQueries();

  private final List<LauncherSandbox> sandboxes = new ArrayList<>();

  @AfterEach
  void closeSandboxes() {
    sandboxes.forEach(LauncherSandbox::close);
  }

  @ParameterizedTest(name = "POSTGRES_USER and POSTGRES_DB {0}")
  @ValueSource(strings = {"postgres", "test"})
  void aCopiedTemplateIsTheClusterInitdbMakes(String superuser) throws Exception {
    Map<String, String> environment = Map.of("POSTGRES_USER", superuser, "POSTGRES_DB", superuser);
    Path templates = makeTemplate(environment);

    LauncherSandbox copied = sandbox();
    RunningLauncher copying =
        copied.start(with(environment, TEMPLATES_VARIABLE, templates.toString()));
    copying.awaitReady();
    assertThat(copying.output())
        .contains("copied the cluster template")
        .contains("unpacked by the start script while the launcher started")
        .doesNotContain("running initdb instead");
    LauncherSandbox initialised = sandbox();
    RunningLauncher initdb = initialised.start(environment);
    initdb.awaitReady();
    assertThat(initdb.output()).doesNotContain("copied the cluster template");

    Map<String, String> copiedCatalogs = catalogs(copied, superuser);
    Map<String, String> initdbCatalogs = catalogs(initialised, superuser);
    assertThat(copiedCatalogs.keySet()).isEqualTo(initdbCatalogs.keySet());
    copiedCatalogs.forEach(
        (what, rows) -> assertThat(rows).as(what).isEqualTo(initdbCatalogs.get(what)));
    assertThat(dumps(copied, superuser)).isEqualTo(dumps(initialised, superuser));

    copying.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    initdb.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(files(copied.data())).isEqualTo(files(initialised.data()));
    Map<String, String> copiedControl = controlData(copied.data());
    Map<String, String> initdbControl = controlData(initialised.data());
    assertThat(copiedControl.keySet()).containsAll(CONTROL_FIELDS_OF_EACH_CLUSTER);
    assertThat(withoutFieldsOfEachCluster(copiedControl))
        .isEqualTo(withoutFieldsOfEachCluster(initdbControl));
    assertThat(copiedControl.get("Database cluster state")).isEqualTo("shut down");
  }

  @Test
  void twoCopiesOfOneTemplateHaveSystemIdentifiersAndNoncesOfTheirOwn() throws Exception {
    Map<String, String> environment = Map.of();
    Path templates = makeTemplate(environment);
    List<Map<String, String>> controls = new ArrayList<>();
    for (int copy = 0; copy < 2; copy++) {
      LauncherSandbox sandbox = sandbox();
      RunningLauncher launcher = sandbox.start(Map.of(TEMPLATES_VARIABLE, templates.toString()));
      launcher.awaitReady();
      assertThat(launcher.output()).contains("copied the cluster template");
      String identifier;
      try (Connection connection = sandbox.connect()) {
        identifier =
            LauncherSandbox.queryValue(
                connection, "SELECT system_identifier FROM pg_control_system()");
      }
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      Map<String, String> control = controlData(sandbox.data());
      assertThat(control.get("Database system identifier"))
          .as("what the server read")
          .isEqualTo(identifier);
      // its first start read the checkpoint through the WAL page header, which must carry the same
      // identifier
      assertThat(launcher.output()).doesNotContain("WAL file is from different database system");
      controls.add(control);
    }
    assertThat(controls.get(0).get("Database system identifier"))
        .isNotEqualTo(controls.get(1).get("Database system identifier"));
    assertThat(controls.get(0).get("Mock authentication nonce"))
        .isNotEqualTo(controls.get(1).get("Mock authentication nonce"));
  }

  @Test
  void otherInitdbArgumentsRunInitdb() throws Exception {
    Path templates = makeTemplate(Map.of());
    LauncherSandbox sandbox = sandbox();
    RunningLauncher launcher =
        sandbox.start(
            Map.of(
                TEMPLATES_VARIABLE,
                templates.toString(),
                "POSTGRES_INITDB_ARGS",
                "--data-checksums"));
    launcher.awaitReady();

    assertThat(launcher.output()).doesNotContain("copied the cluster template");
    try (Connection connection = sandbox.connect()) {
      assertThat(LauncherSandbox.queryValue(connection, "SHOW data_checksums")).isEqualTo("on");
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void theStartAfterAFirstStartThatTookTheStartScriptsUnpackIsAFastRestart() throws Exception {
    Path templates = makeTemplate(Map.of());
    LauncherSandbox sandbox = sandbox();
    Map<String, String> environment = Map.of(TEMPLATES_VARIABLE, templates.toString());
    RunningLauncher first = sandbox.start(environment);
    first.awaitReady();
    assertThat(first.output()).contains("unpacked by the start script while the launcher started");
    first.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    RunningLauncher second = sandbox.start(environment);
    second.awaitReady();
    assertThat(second.output()).contains("fast restart: adopted postgres");
    second.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void aTemplateTheStartScriptUnpackedButTheSettingsDoNotNeedIsRemovedBeforeInitdb()
      throws Exception {
    Path templates = makeTemplate(Map.of());
    LauncherSandbox sandbox = sandbox();
    // the script picks the template by user and database; the key's authentication differs
    RunningLauncher launcher =
        sandbox.start(
            Map.of(TEMPLATES_VARIABLE, templates.toString(), "EXTERNAL_ACCESS_METHOD", "md5"));
    launcher.awaitReady();

    assertThat(launcher.output())
        .contains("the start script unpacked", "copies no template there: removing it")
        .doesNotContain("copied the cluster template");
    try (Connection connection = sandbox.connect()) {
      assertThat(
              LauncherSandbox.queryValue(
                  connection,
                  "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'postgres'"))
          .isEqualTo("md5");
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(sandbox.data().resolve(".pgcontainer-initdb")).doesNotExist();
  }

  @Test
  void aBadSettingLeavesPgdataEmptyThoughTheStartScriptBeganToUnpack() throws Exception {
    Path templates = makeTemplate(Map.of());
    LauncherSandbox sandbox = sandbox();
    // the directories are the server user's, as in the image: the start script skips the root step
    // (whose JVM would refuse the setting before anything unpacks)
    LauncherSandbox.CommandOutcome prepared = sandbox.command(Map.of(), "prepare", "postgres");
    assertThat(prepared.exitCode()).as(prepared.describe()).isZero();
    LauncherSandbox.CommandOutcome refused =
        sandbox.command(
            Map.of(TEMPLATES_VARIABLE, templates.toString(), "POSTGRESQL_WORK_MEM", "lots"), "run");

    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(78);
    assertThat(refused.stdout() + refused.stderr())
        .as("the unpack was staged and removed")
        .contains("the start script's unpack of");
    try (Stream<Path> entries = Files.list(sandbox.data())) {
      assertThat(entries).as("PGDATA").isEmpty();
    }
  }

  /**
   * {@code pgcontainer cluster-template} for {@code environment}, into a directory of a sandbox of
   * its own.
   */
  private Path makeTemplate(Map<String, String> environment) throws IOException {
    LauncherSandbox maker = sandbox();
    Path templates = maker.root().resolve("templates");
    LauncherSandbox.CommandOutcome made =
        maker.command(
            with(environment, TEMPLATES_VARIABLE, templates.toString()), "cluster-template");
    assertThat(made.exitCode()).as(made.describe()).isZero();
    try (Stream<Path> files = Files.list(templates)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .as("an archive and its key")
          .anyMatch(name -> name.endsWith(".tar.zst"))
          .anyMatch(n -> n.endsWith(".key"));
    }
    return templates;
  }

  private LauncherSandbox sandbox() {
    LauncherSandbox sandbox = LauncherSandbox.empty();
    sandboxes.add(sandbox);
    return sandbox;
  }

  private static Map<String, String> with(
      Map<String, String> environment, String variable, String value) {
    Map<String, String> more = new HashMap<>(environment);
    more.put(variable, value);
    return more;
  }

  private static Map<String, String> catalogQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(
        "roles",
        "SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
            + " rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, left(rolpassword, 14) AS password_kind"
            + " FROM pg_authid ORDER BY oid");
    queries.put(
        "databases",
        "SELECT oid, datname, datdba, encoding, datlocprovider, datistemplate, datallowconn,"
            + " datconnlimit, datfrozenxid, datminmxid, dattablespace, datcollate, datctype, daticulocale, datcollversion,"
            + " datacl FROM pg_database ORDER BY oid");
    queries.put(
        "namespaces", "SELECT oid, nspname, nspowner, nspacl FROM pg_namespace ORDER BY oid");
    queries.put(
        "relations",
        "SELECT oid, relname, relnamespace, relkind, relowner, relfilenode, relpersistence,"
            + " relpages, reltuples, relacl FROM pg_class ORDER BY oid");
    queries.put(
        "attributes",
        "SELECT attrelid, attname, atttypid, attnum, attnotnull FROM pg_attribute"
            + " ORDER BY attrelid, attnum");
    queries.put(
        "collations",
        "SELECT oid, collname, collprovider, collcollate, collctype, collversion"
            + " FROM pg_collation ORDER BY oid");
    queries.put("extensions", "SELECT extname, extversion FROM pg_extension ORDER BY extname");
    queries.put(
        "settings",
        "SELECT name, setting, source FROM pg_settings WHERE name NOT IN ("
            + SETTINGS_OF_EACH_SANDBOX.stream()
                .map(name -> "'" + name + "'")
                .sorted()
                .collect(Collectors.joining(", "))
            + ") ORDER BY name");
    return queries;
  }

  /** Each catalog query's rows, in every database that takes connections. */
  private static Map<String, String> catalogs(LauncherSandbox sandbox, String superuser)
      throws SQLException {
    Map<String, String> catalogs = new TreeMap<>();
    for (String database : databases(sandbox, superuser)) {
      try (Connection connection = connect(sandbox, superuser, database)) {
        for (Map.Entry<String, String> query : CATALOG_QUERIES.entrySet()) {
          catalogs.put(database + ": " + query.getKey(), rows(connection, query.getValue()));
        }
      }
    }
    return catalogs;
  }

  private static List<String> databases(LauncherSandbox sandbox, String superuser)
      throws SQLException {
    try (Connection connection = connect(sandbox, superuser, superuser)) {
      return List.of(
          rows(connection, "SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname")
              .split("\n"));
    }
  }

  private static Connection connect(LauncherSandbox sandbox, String user, String database)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", LauncherSandbox.PASSWORD);
    properties.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + sandbox.port() + "/" + database, properties);
  }

  private static String rows(Connection connection, String sql) throws SQLException {
    StringBuilder rows = new StringBuilder();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      while (result.next()) {
        for (int column = 1; column <= meta.getColumnCount(); column++) {
          rows.append(column > 1 ? "|" : "").append(result.getString(column));
        }
        rows.append('\n');
      }
    }
    return rows.toString().strip();
  }

  /**
   * {@code pg_dumpall --globals-only} (without the salted password hashes) and {@code pg_dump -s}
   * of each database.
   */
  private static Map<String, String> dumps(LauncherSandbox sandbox, String superuser)
      throws SQLException {
    Map<String, String> dumps = new TreeMap<>();
    dumps.put(
        "globals", dump(sandbox, superuser, "pg_dumpall", "--globals-only", "--no-role-passwords"));
    for (String database : databases(sandbox, superuser)) {
      dumps.put(
          database, dump(sandbox, superuser, "pg_dump", "--schema-only", "--dbname=" + database));
    }
    return dumps;
  }

  private static String dump(
      LauncherSandbox sandbox, String superuser, String program, String... options) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary(program).toString(),
                "--host=127.0.0.1",
                "--port=" + sandbox.port(),
                "--username=" + superuser,
                "--no-password",
                "--restrict-key=" + DUMP_RESTRICT_KEY));
    command.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", LauncherSandbox.PASSWORD);
    builder.environment().put("LC_ALL", "C");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("%s; output:%n%s", command, output).isZero();
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every file and directory below PGDATA with its mode and, for files, its size; but the size of
   * postmaster.opts, which holds the sandbox's paths.
   */
  private static List<String> files(Path data) throws IOException {
    try (Stream<Path> paths = Files.walk(data)) {
      return paths
          .map(
              path -> {
                try {
                  String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                  boolean sized = Files.isRegularFile(path) && !path.endsWith("postmaster.opts");
                  return data.relativize(path) + " " + mode + (sized ? " " + Files.size(path) : "");
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sorted()
          .toList();
    }
  }

  private static Map<String, String> controlData(Path data) {
    Map<String, String> fields = new TreeMap<>();
    LauncherSandbox.run(List.of(binary("pg_controldata").toString(), "-D", data.toString()))
        .lines()
        .filter(line -> line.contains(":"))
        .forEach(
            line ->
                fields.put(
                    line.substring(0, line.indexOf(':')).trim(),
                    line.substring(line.indexOf(':') + 1).trim()));
    return fields;
  }

  private static Map<String, String> withoutFieldsOfEachCluster(Map<String, String> control) {
    Map<String, String> kept = new TreeMap<>(control);
    CONTROL_FIELDS_OF_EACH_CLUSTER.forEach(kept::remove);
    return kept;
  }

  private static Path binary(String name) {
    return PgInstallation.discover(System.getenv()).orElseThrow().binary(name);
  }
}
