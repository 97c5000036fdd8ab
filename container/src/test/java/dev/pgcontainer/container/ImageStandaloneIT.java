package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.container.Engine.NamedVolume;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image on its own: start, connect from the host, stop as {@code docker stop} does, start
 * again, healthcheck; SIGQUIT.
 */
class ImageStandaloneIT {

  private static final String PGDATA = "/usr/local/pgsql/data";

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void dockerStopShutsDownCleanlyAndTheNextStartFindsTheData() throws Exception {
    try (NamedVolume data = new NamedVolume()) {
      try (PgContainer first =
          ImageUnderTest.pgContainer("standalone-first")
              .withCreateContainerCmdModifier(data.mountAt(PGDATA))) {
        first.start();
        Sql.execute(
            first,
            "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before docker stop')");

        int exitCode = Engine.stop(first);

        String logs = first.getLogs();
        assertThat(exitCode).as("exit code after docker stop (137: killed)\n%s", logs).isZero();
        assertThat(logs).contains("database system is shut down");
      }
      try (PgContainer second =
          ImageUnderTest.pgContainer("standalone-second")
              .withCreateContainerCmdModifier(data.mountAt(PGDATA))) {
        second.start();

        assertThat(Sql.queryOne(second, "SELECT note FROM kept"))
            .isEqualTo("written before docker stop");
        assertThat(second.getLogs())
            .contains("database system was shut down at")
            .doesNotContain("not properly shut down", "automatic recovery in progress", "initdb");
      }
    }
  }

  /**
   * A session left open makes the smart shutdown wait: the ladder's fast step (SIGINT, sent with
   * kill) ends it.
   */
  @Test
  void dockerStopWithASessionOpenEndsInAFastShutdownNotAKill() throws Exception {
    try (PgContainer pg = ImageUnderTest.pgContainer("standalone-open-session")) {
      pg.start();
      try (Connection open = Sql.connect(pg)) {
        assertThat(open.isValid(5)).as("the session that stays open").isTrue();

        int exitCode = Engine.stop(pg);

        String logs = pg.getLogs();
        assertThat(exitCode).as("exit code after docker stop\n%s", logs).isZero();
        assertThat(logs)
            .contains("received fast shutdown request", "database system is shut down")
            .doesNotContain("SIGKILL");
      }
    }
  }

  @Test
  void sigquitToTheContainerIsAnImmediateShutdown() throws Exception {
    try (PgContainer container = ImageUnderTest.pgContainer("standalone-quit")) {
      container.start();

      Engine.client().killContainerCmd(container.getContainerId()).withSignal("QUIT").exec();
      int exitCode =
          Engine.client()
              .waitContainerCmd(container.getContainerId())
              .start()
              .awaitStatusCode(2, TimeUnit.MINUTES);

      String logs = container.getLogs();
      assertThat(exitCode).as("exit code after an immediate shutdown\n%s", logs).isEqualTo(1);
      assertThat(logs)
          .contains("shutting down postgres immediately", "received immediate shutdown request");
    }
  }

  @Test
  void theImageHealthcheckGoesHealthy() throws Exception {
    try (PgContainer pg = ImageUnderTest.pgContainer("healthcheck")) {
      pg.start();

      String lastCheck = Engine.awaitHealthy(pg, Duration.ofSeconds(180));

      assertThat(lastCheck).contains("postgresql UP", "process UP");
      // answered by the launcher through its socket: a JVM of the command's own could not start
      // with this option
      var asked =
          pg.execInContainer(
              "env",
              "PGCONTAINER_JAVA_OPTS=-XX:+NoSuchOption",
              "/opt/pgcontainer/bin/pgcontainer",
              "healthcheck");
      assertThat(asked.getExitCode()).as("%s%s", asked.getStdout(), asked.getStderr()).isZero();
      assertThat(asked.getStdout()).contains("postgresql UP", "process UP");
    }
  }

  @Test
  void runsWithUserPostgres() throws Exception {
    try (PgContainer pg =
        ImageUnderTest.pgContainer("user-postgres")
            .withDatabaseName("app")
            .withCreateContainerCmdModifier(command -> command.withUser("postgres"))) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT current_database()")).isEqualTo("app");
      assertThat(pg.execInContainer("stat", "-c", "%U", "/proc/1").getStdout().strip())
          .as("the user of the container's PID 1")
          .isEqualTo("postgres");
    }
  }
}
