package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** patroni.yml as Patroni reads it: rendered, then parsed back as YAML. */
class PatroniConfigTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path BIN = Path.of("/opt/postgresql/15/bin");

  @Test
  void namesTheClusterTheMemberAndBothAddressesOfTheRestApi() throws Exception {
    JsonNode yaml =
        render(
            Map.of(
                "PATRONI_SCOPE",
                "orders",
                "PATRONI_NAMESPACE",
                "/db/",
                "PATRONI_NAME",
                "orders-1",
                "PATRONI_RESTAPI_LISTEN",
                "0.0.0.0:8009",
                "PATRONI_CONNECT_ADDRESS",
                "10.0.0.7"));

    assertThat(yaml.path("scope").asText()).isEqualTo("orders");
    assertThat(yaml.path("namespace").asText()).isEqualTo("/db/");
    assertThat(yaml.path("name").asText()).isEqualTo("orders-1");
    assertThat(yaml.path("restapi").path("listen").asText()).isEqualTo("0.0.0.0:8009");
    assertThat(yaml.path("restapi").path("connect_address").asText()).isEqualTo("10.0.0.7:8009");
  }

  @Test
  void logsAtTheLaunchersLevelWithoutATimeOfItsOwn() throws Exception {
    JsonNode log = render(Map.of("LOG_LEVEL", "warn")).path("log");

    assertThat(log.path("level").asText()).isEqualTo("WARNING");
    assertThat(log.path("format").asText()).doesNotContain("asctime").contains("%(message)s");
  }

  @Test
  void usesTheEtcdV3SectionWithEveryHost() throws Exception {
    JsonNode yaml = render(Map.of("PATRONI_ETCD_HOSTS", "etcd1:2379, etcd2:2379,[fd00::3]:2379"));

    assertThat(texts(yaml.path("etcd3").path("hosts")))
        .containsExactly("etcd1:2379", "etcd2:2379", "[fd00::3]:2379");
    assertThat(yaml.has("etcd")).as("the v2 section, which etcd 3.4 does not serve").isFalse();
  }

  @Test
  void pointsPatroniAtTheDataDirectoryBinariesSocketAndTheLaunchersOwnConfigFiles()
      throws Exception {
    JsonNode postgresql =
        render(
                Map.of(
                    "PGDATA",
                    "/srv/data",
                    "PGCONFIG",
                    "/srv/config",
                    "PGSOCKET",
                    "/run/pg",
                    "POSTGRESQL_PORT",
                    "5433",
                    "PATRONI_CONNECT_ADDRESS",
                    "db-7"))
            .path("postgresql");

    assertThat(postgresql.path("data_dir").asText()).isEqualTo("/srv/data");
    assertThat(postgresql.path("bin_dir").asText()).isEqualTo(BIN.toString());
    assertThat(postgresql.has("config_dir"))
        .as("Patroni's postgresql.conf stays in PGDATA")
        .isFalse();
    assertThat(postgresql.path("listen").asText()).isEqualTo("*:5433");
    assertThat(postgresql.path("connect_address").asText()).isEqualTo("db-7:5433");
    assertThat(postgresql.path("pgpass").asText()).isEqualTo("/srv/config/patroni.pgpass");
    assertThat(postgresql.path("custom_conf").asText()).isEqualTo("/srv/config/pgcontainer.conf");
    assertThat(postgresql.path("use_unix_socket").asBoolean()).isTrue();
    JsonNode parameters = postgresql.path("parameters");
    assertThat(parameters.path("unix_socket_directories").asText()).isEqualTo("/run/pg");
    assertThat(parameters.path("hba_file").asText()).isEqualTo("/srv/config/pg_hba.conf");
    assertThat(parameters.path("ident_file").asText()).isEqualTo("/srv/config/pg_ident.conf");
    assertThat(postgresql.has("pg_hba")).as("Patroni must not write its own pg_hba.conf").isFalse();
    assertThat(postgresql.path("basebackup").toString()).isEqualTo("[{\"checkpoint\":\"fast\"}]");
  }

  @Test
  void listensWhereListenAddressesSaysAndLeavesListenAddressesAndPortOutOfTheParameters()
      throws Exception {
    JsonNode postgresql =
        render(Map.of("POSTGRESQL_LISTEN_ADDRESSES", "127.0.0.1", "POSTGRESQL_PORT", "6432"))
            .path("postgresql");

    assertThat(postgresql.path("listen").asText()).isEqualTo("127.0.0.1:6432");
    assertThat(postgresql.path("parameters").has("listen_addresses")).isFalse();
    assertThat(postgresql.path("parameters").has("port")).isFalse();
  }

  @Test
  void withoutKnownBinariesLeavesBinDirOut() throws Exception {
    Settings settings = settings(Map.of());
    JsonNode yaml = YAML.readTree(PatroniConfig.of(RenderInput.of(settings, "postgres")).toYaml());

    assertThat(yaml.path("postgresql").has("bin_dir")).isFalse();
  }

  @Test
  void holdsUserNamesButNoPassword() throws Exception {
    String text =
        PatroniConfig.of(
                input(
                    Map.of(
                        "POSTGRES_USER",
                        "admin",
                        "POSTGRES_PASSWORD",
                        "Super-Secret-1",
                        "PATRONI_REPLICATION_USER",
                        "streamer",
                        "PATRONI_REPLICATION_PASSWORD",
                        "Repl-Secret-2")))
            .toYaml();
    JsonNode authentication = YAML.readTree(text).path("postgresql").path("authentication");

    assertThat(authentication.path("superuser").path("username").asText()).isEqualTo("admin");
    assertThat(authentication.path("replication").path("username").asText()).isEqualTo("streamer");
    assertThat(authentication.findValues("password")).isEmpty();
    assertThat(text).doesNotContain("Super-Secret-1").doesNotContain("Repl-Secret-2");
  }

  @Test
  void putsClusterWideSettingsInBootstrapDcsAndTheRestInTheMembersParameters() throws Exception {
    JsonNode yaml =
        render(
            Map.of(
                "POSTGRESQL_MAX_CONNECTIONS",
                "200",
                "POSTGRESQL_WAL_LEVEL",
                "logical",
                "POSTGRESQL_MAX_WORKER_PROCESSES",
                "16",
                "POSTGRESQL_TRACK_COMMIT_TIMESTAMP",
                "on",
                "POSTGRESQL_WAL_KEEP_SIZE",
                "1GB",
                "POSTGRESQL_MAX_LOCKS_PER_TRANSACTION",
                "128",
                "POSTGRESQL_SHARED_BUFFERS",
                "256MB",
                "POSTGRESQL_PG_STAT_STATEMENTS__MAX",
                "5000"));

    JsonNode cluster = yaml.path("bootstrap").path("dcs").path("postgresql").path("parameters");
    assertThat(fields(cluster))
        .containsExactlyInAnyOrder(
            "max_connections",
            "wal_level",
            "max_worker_processes",
            "track_commit_timestamp",
            "wal_keep_size",
            "max_locks_per_transaction");
    assertThat(cluster.path("max_connections").asText()).isEqualTo("200");
    JsonNode member = yaml.path("postgresql").path("parameters");
    assertThat(member.path("shared_buffers").asText()).isEqualTo("256MB");
    assertThat(member.path("pg_stat_statements.max").asText()).isEqualTo("5000");
    assertThat(fields(member)).doesNotContainAnyElementsOf(fields(cluster));
  }

  @Test
  void bootstrapsWithTheLeaderKeyTimingsSynchronousModeAndPgRewind() throws Exception {
    JsonNode dcs =
        render(
                Map.of(
                    "PATRONI_TTL",
                    "10",
                    "PATRONI_LOOP_WAIT",
                    "2",
                    "PATRONI_RETRY_TIMEOUT",
                    "4",
                    "PATRONI_SYNCHRONOUS_MODE",
                    "true"))
            .path("bootstrap")
            .path("dcs");

    assertThat(dcs.path("ttl").isInt()).isTrue();
    assertThat(dcs.path("ttl").asInt()).isEqualTo(10);
    assertThat(dcs.path("loop_wait").asInt()).isEqualTo(2);
    assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(4);
    assertThat(dcs.path("synchronous_mode").isBoolean()).isTrue();
    assertThat(dcs.path("synchronous_mode").asBoolean()).isTrue();
    assertThat(dcs.path("postgresql").path("use_pg_rewind").asBoolean()).isTrue();
  }

  @Test
  void writesTheWatchdogModeAsAQuotedStringSoYamlCannotReadOffAsFalse() throws Exception {
    String text =
        PatroniConfig.of(
                input(
                    Map.of(
                        "PATRONI_WATCHDOG_DEVICE",
                        "/dev/watchdog1",
                        "PATRONI_WATCHDOG_SAFETY_MARGIN",
                        "7")))
            .toYaml();
    JsonNode watchdog = YAML.readTree(text).path("watchdog");

    assertThat(Pattern.compile("(?m)^  mode: (\"off\"|'off')$").matcher(text).find())
        .as("a quoted off in:%n%s", text)
        .isTrue();
    assertThat(watchdog.path("mode").isTextual()).isTrue();
    assertThat(watchdog.path("device").asText()).isEqualTo("/dev/watchdog1");
    assertThat(watchdog.path("safety_margin").asInt()).isEqualTo(7);
  }

  @Test
  void keepsSettingValuesAsStringsEvenWhenTheyLookLikeYamlBooleansOrNumbers() throws Exception {
    String text =
        PatroniConfig.of(
                input(
                    Map.of(
                        "POSTGRESQL_SYNCHRONOUS_COMMIT",
                        "off",
                        "POSTGRESQL_WORK_MEM",
                        "4096",
                        "POSTGRESQL_APPLICATION_NAME",
                        "it's: #1 \"x\"")))
            .toYaml();
    JsonNode parameters = YAML.readTree(text).path("postgresql").path("parameters");

    assertThat(parameters.path("synchronous_commit").isTextual()).isTrue();
    assertThat(parameters.path("synchronous_commit").asText()).isEqualTo("off");
    assertThat(parameters.path("work_mem").isTextual()).isTrue();
    assertThat(parameters.path("application_name").asText()).isEqualTo("it's: #1 \"x\"");
  }

  @Test
  void tagsTheMemberAsAnOrdinaryOne() throws Exception {
    JsonNode tags = render(Map.of()).path("tags");

    assertThat(fields(tags))
        .containsExactlyInAnyOrder("nofailover", "noloadbalance", "clonefrom", "nosync");
    assertThat(tags.findValuesAsText("nofailover")).containsExactly("false");
  }

  @Test
  void passesInitdbArgumentsInPatronisLongForm() throws Exception {
    JsonNode initdb =
        render(
                Map.of(
                    "POSTGRES_INITDB_ARGS",
                    "--data-checksums --wal-segsize=32 --locale de_DE.UTF-8"))
            .path("bootstrap")
            .path("initdb");

    assertThat(initdb.toString())
        .isEqualTo(
            "[{\"encoding\":\"UTF8\"},{\"locale\":\"C.UTF-8\"},\"data-checksums\",{\"wal-segsize\":\"32\"},"
                + "{\"locale\":\"de_DE.UTF-8\"}]");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POSTGRESQL_MAX_CONNECTIONS|20|at least 25",
        "POSTGRESQL_MAX_WAL_SENDERS|2|at least 3",
        "POSTGRESQL_MAX_LOCKS_PER_TRANSACTION|16|at least 32",
        "POSTGRESQL_WAL_KEEP_SIZE|8MB|at least 16MB",
        "POSTGRESQL_WAL_LEVEL|minimal|replica or logical",
        "POSTGRESQL_WAL_LOG_HINTS|off|remove the variable",
        "POSTGRESQL_HOT_STANDBY|off|remove the variable",
        "POSTGRESQL_CLUSTER_NAME|x|PATRONI_SCOPE",
        "POSTGRES_INITDB_ARGS|-k|long options",
        "POSTGRES_INITDB_ARGS|--locale=\"de DE\"|shell"
      })
  void rejectsWhatPatroniWouldSilentlyDropSayingWhatToDo(
      String variable, String value, String advice) {
    assertThatThrownBy(() -> PatroniConfig.of(input(Map.of(variable, value))))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        problem -> {
                          assertThat(problem.variable()).isEqualTo(variable);
                          assertThat(problem.message()).contains(advice);
                        }));
  }

  @Test
  void acceptsTheSettingsPatroniEnforcesWhenTheyAgreeWithIt() throws Exception {
    JsonNode yaml =
        render(Map.of("POSTGRESQL_WAL_LOG_HINTS", "on", "POSTGRESQL_HOT_STANDBY", "true"));

    assertThat(yaml.path("postgresql").path("parameters").has("wal_log_hints")).isFalse();
    assertThat(
            yaml.path("bootstrap")
                .path("dcs")
                .path("postgresql")
                .path("parameters")
                .has("wal_log_hints"))
        .isFalse();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                PatroniConfig.of(
                    input(
                        Map.of(
                            "POSTGRESQL_MAX_CONNECTIONS",
                            "10",
                            "POSTGRESQL_WAL_LEVEL",
                            "minimal"))))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::variable)
                    .containsExactlyInAnyOrder(
                        "POSTGRESQL_MAX_CONNECTIONS", "POSTGRESQL_WAL_LEVEL"));
  }

  @Test
  void theFeatureRendersPatroniYmlAndIsOnlyEnabledWithPatroni() {
    Settings withPatroni = settings(Map.of());
    Settings without = TestSettings.of(Map.of("HOSTNAME", "db-0", "POSTGRES_PASSWORD", "s3cret"));
    PatroniFeature feature = new PatroniFeature();

    assertThat(feature.enabled(withPatroni)).isTrue();
    assertThat(feature.enabled(without)).isFalse();
    assertThat(
            ConfigRenderer.withDefaultTemplates()
                .render(RenderInput.of(withPatroni, "postgres").withContributors(List.of(feature))))
        .extracting(RenderedFile::path)
        .contains(ConfigLayout.of(withPatroni).file(PatroniConfig.FILE));
  }

  @Test
  void aFeaturesSectionIsWrittenUnderItsKey() throws Exception {
    PatroniConfigSection section =
        new PatroniConfigSection() {
          @Override
          public String patroniKey() {
            return "feature";
          }

          @Override
          public Optional<Object> patroniSection() {
            return Optional.of(Map.of("group", 2));
          }
        };
    Settings base = settings(Map.of());
    Settings withSection =
        new Settings(
            base.directories(),
            base.logging(),
            base.timeout(),
            base.passwordChangeTimeout(),
            base.sleepMode(),
            base.superuser(),
            base.externalAccess(),
            base.serverSettings(),
            base.health(),
            Map.of(
                PatroniSettings.class,
                PatroniSettings.of(base),
                PatroniConfigSection.class,
                section),
            base.warnings());

    JsonNode yaml =
        YAML.readTree(
            PatroniConfig.of(RenderInput.of(withSection, "postgres").withServerBinDir(BIN))
                .toYaml());

    assertThat(yaml.get("feature").get("group").asInt()).isEqualTo(2);
    assertThat(render(Map.of()).has("feature")).isFalse();
  }

  private static JsonNode render(Map<String, String> env) throws Exception {
    return YAML.readTree(PatroniConfig.of(input(env)).toYaml());
  }

  private static RenderInput input(Map<String, String> env) {
    return RenderInput.of(settings(env), "postgres").withServerBinDir(BIN);
  }

  private static Settings settings(Map<String, String> env) {
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "db-0",
                "PATRONI_ENABLE",
                "true",
                "POSTGRES_PASSWORD",
                "s3cret",
                "PATRONI_REPLICATION_PASSWORD",
                "r3pl"));
    all.putAll(env);
    return TestSettings.of(all);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Set<String> fields(JsonNode object) {
    Set<String> names = new java.util.TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names.stream().collect(Collectors.toSet());
  }
}
