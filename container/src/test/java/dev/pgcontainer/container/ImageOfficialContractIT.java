package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import dev.pgcontainer.container.Engine.NamedVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.LogUtils;

/**
 * The official image's start-up contract, as compose/official.yml uses it: the command line, the
 * data path /var/lib/postgresql/data, /docker-entrypoint-initdb.d on the first start only,
 * pg_isready as the healthcheck, POSTGRES_HOST_AUTH_METHOD, root-only secrets, and any other
 * command executed as given.
 */
class ImageOfficialContractIT {

  /** The contract's exit code for a configuration error. */
  private static final int CONFIGURATION_ERROR = 78;

  private static final String OFFICIAL_DATA = "/var/lib/postgresql/data";

  /** The init scripts the compose example mounts (the tests run in the module's directory). */
  private static final Path COMPOSE_INITDB = Path.of("compose", "initdb").toAbsolutePath();

  private static final String COMMAND = "postgres -c shared_buffers=32MB -c max_connections=200";

  @TempDir Path directory;

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void theComposeExampleInitialisesOnceOnTheOfficialDataPathAndAChangedPasswordIsApplied()
      throws Exception {
    try (NamedVolume data = new NamedVolume()) {
      try (PostgreSQLContainer<?> first =
          asInTheComposeExample("official-first", data).withPassword("first")) {
        first.start();

        assertThat(Sql.queryOne(first, "SELECT string_agg(text, ',') FROM greeting"))
            .isEqualTo("hello from /docker-entrypoint-initdb.d");
        assertThat(
                Sql.queryOne(first, "SELECT has_table_privilege('reader', 'greeting', 'SELECT')"))
            .as("from 02-reader.sh")
            .isEqualTo("t");
        assertThat(Sql.queryOne(first, "SHOW data_directory")).isEqualTo(OFFICIAL_DATA);
        assertThat(Sql.queryOne(first, "SHOW max_connections"))
            .as("from the command line")
            .isEqualTo("200");
        var healthcheck = first.execInContainer("pg_isready", "-U", "postgres", "-d", "app");
        assertThat(healthcheck.getExitCode())
            .as("the compose file's healthcheck: %s", healthcheck)
            .isZero();
        assertThat(Engine.stop(first)).as(first.getLogs()).isZero();
      }
      // PgContainer waits for /ready: on an initialised volume the ready line comes once, as in the
      // official image
      try (PgContainer second =
          ImageUnderTest.pgContainer("official-second")
              .withUsername("postgres")
              .withDatabaseName("app")
              .withPassword("second")
              .withCommand(COMMAND)
              .withCreateContainerCmdModifier(data.mountAt(OFFICIAL_DATA))
              .withFileSystemBind(
                  COMPOSE_INITDB.toString(), "/docker-entrypoint-initdb.d", BindMode.READ_ONLY)) {
        second.start();

        assertThat(Sql.queryOne(second, "SELECT count(*) FROM greeting"))
            .as("init scripts ran once")
            .isEqualTo("1");
        assertThat(second.getLogs()).doesNotContain("01-schema.sql");
      }
    }
  }

  @Test
  void aBadSettingOnANewVolumeIsAConfigurationErrorThatLeavesTheVolumeEmpty() throws Exception {
    try (NamedVolume data = new NamedVolume()) {
      DockerClient client = Engine.client();
      CreateContainerCmd refused =
          client
              .createContainerCmd(ImageUnderTest.IMAGE)
              .withEnv("POSTGRES_PASSWORD=unused", "POSTGRESQL_WORK_MEM=lots");
      data.mountAt(OFFICIAL_DATA).accept(refused);
      String id = refused.exec().getId();
      try {
        client.startContainerCmd(id).exec();
        int exitCode = client.waitContainerCmd(id).start().awaitStatusCode(120, TimeUnit.SECONDS);

        String logs = LogUtils.getOutput(client, id);
        assertThat(exitCode).as(logs).isEqualTo(CONFIGURATION_ERROR);
        assertThat(logs)
            .as("the start script began to unpack the template while the JVM started")
            .contains("the start script's unpack of")
            .contains("POSTGRESQL_WORK_MEM");
      } finally {
        client.removeContainerCmd(id).withRemoveVolumes(true).withForce(true).exec();
      }
      // a volume with anything left in it would be refused as not empty
      try (PostgreSQLContainer<?> next =
          ImageUnderTest.postgreSqlContainer("official-after-refusal")
              .withCreateContainerCmdModifier(data.mountAt(OFFICIAL_DATA))) {
        next.start();

        assertThat(Sql.queryOne(next, "SHOW data_directory")).isEqualTo(OFFICIAL_DATA);
      }
    }
  }

  @Test
  void trustLetsClientsInWithoutAPassword() throws Exception {
    try (PostgreSQLContainer<?> pg =
        ImageUnderTest.postgreSqlContainer("official-trust")
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")) {
      pg.start();

      DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), "not the password").close();
    }
  }

  @Test
  void aSecretFileReadableByRootOnlyIsRead() throws Exception {
    Path secret = Files.writeString(directory.resolve("password"), "root only\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
    try (PgContainer pg =
        ImageUnderTest.pgContainer("official-root-only-secret").withPasswordFile(secret)) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT current_user")).isEqualTo(pg.getUsername());
    }
  }

  @Test
  void anyOtherCommandIsExecutedAsGiven() {
    try (GenericContainer<?> psql =
        new GenericContainer<>(ImageUnderTest.IMAGE)
            .withLogConsumer(ImageUnderTest.logTo("official-other-command"))
            .withCommand("psql", "--version")
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy())) {
      psql.start();

      assertThat(psql.getLogs()).contains("psql (PostgreSQL)");
    }
  }

  /**
   * compose/official.yml as Testcontainers' PostgreSQLContainer, which waits for the ready line
   * twice.
   */
  private PostgreSQLContainer<?> asInTheComposeExample(String name, NamedVolume data) {
    return ImageUnderTest.postgreSqlContainer(name)
        .withUsername("postgres")
        .withDatabaseName("app")
        .withCommand(COMMAND)
        .withCreateContainerCmdModifier(data.mountAt(OFFICIAL_DATA))
        .withFileSystemBind(
            COMPOSE_INITDB.toString(), "/docker-entrypoint-initdb.d", BindMode.READ_ONLY);
  }
}
