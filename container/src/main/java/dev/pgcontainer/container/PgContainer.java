package dev.pgcontainer.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.rnorth.ducttape.ratelimits.RateLimiter;
import org.rnorth.ducttape.ratelimits.RateLimiterBuilder;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The pgcontainer image as a Testcontainers {@link PostgreSQLContainer}: whatever takes one takes
 * this, with the same defaults, plus the image's own settings ({@link #withSetting(String,
 * String)}). {@link #start()} returns when the launcher's {@code /ready} answers 200 (server
 * accepting connections, password applied, in every mode), not on log lines; the command is the
 * image's own, without {@code -c fsync=off}. Example: docs/image.md, Testcontainers.
 */
public class PgContainer extends PostgreSQLContainer<PgContainer> {

  /**
   * The port of the launcher's health endpoint ({@code /live /ready /health /metrics}) inside the
   * container.
   */
  public static final int HEALTH_PORT = 8080;

  /**
   * Where {@link #withPasswordFile(Path)} mounts the password, as Docker and Compose mount secrets.
   */
  public static final String PASSWORD_FILE_IN_CONTAINER = "/run/secrets/postgres-password";

  private static final Pattern SETTING_NAME =
      Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?");

  /**
   * Enough for initdb and a first start on a busy machine; the launcher's own startup budget is
   * TIMEOUT (30 s).
   */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  /**
   * The endpoint is asked every 100 ms: at Testcontainers' default of once a second, start() would
   * return up to a second after the server is ready. A request to it costs well under a
   * millisecond.
   */
  private static final RateLimiter HEALTH_POLL =
      RateLimiterBuilder.newBuilder()
          .withRate(10, TimeUnit.SECONDS)
          .withConstantThroughput()
          .build();

  private Path passwordFile;
  private boolean sleepMode;

  /**
   * @param image the pgcontainer image, e.g. {@code pgcontainer:latest}; it stands in for {@code
   *     postgres}
   */
  public PgContainer(String image) {
    super(DockerImageName.parse(image).asCompatibleSubstituteFor(PostgreSQLContainer.IMAGE));
    setCommand();
    addExposedPorts(HEALTH_PORT);
    waitingFor(healthEndpointAnswers200("/ready"));
  }

  /**
   * The superuser's name ({@code POSTGRES_USER}); {@code test} by default, as in
   * PostgreSQLContainer.
   */
  @Override
  public PgContainer withUsername(String username) {
    return super.withUsername(requireText(username, "username"));
  }

  /**
   * The superuser's password ({@code POSTGRES_PASSWORD}); {@code test} by default, as in
   * PostgreSQLContainer.
   */
  @Override
  public PgContainer withPassword(String password) {
    this.passwordFile = null;
    return super.withPassword(requireText(password, "password"));
  }

  /**
   * The database created at init ({@code POSTGRES_DB}); {@code test} by default, as in
   * PostgreSQLContainer.
   */
  @Override
  public PgContainer withDatabaseName(String database) {
    return super.withDatabaseName(requireText(database, "database"));
  }

  /**
   * Takes the password from a file, as a Docker secret: the file is bind-mounted read-only at
   * {@value #PASSWORD_FILE_IN_CONTAINER} and named by {@code POSTGRES_PASSWORD_FILE}, so the
   * password appears in no environment. It is read as root before the launcher drops privileges, so
   * a file readable by root alone works (with {@code --user postgres} it must be readable by uid
   * 999); it must be on the machine of the Docker engine.
   *
   * @param hostFile the file on the Docker host; its content minus one trailing newline is the
   *     password
   * @throws UncheckedIOException when the file cannot be read (the password is needed for {@link
   *     #getPassword()})
   */
  public PgContainer withPasswordFile(Path hostFile) {
    String content;
    try {
      content = Files.readString(hostFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the password file " + hostFile, e);
    }
    super.withPassword(
        requireText(
            content.endsWith("\n") ? content.substring(0, content.length() - 1) : content,
            "the password in " + hostFile));
    this.passwordFile = hostFile.toAbsolutePath();
    return withFileSystemBind(
        passwordFile.toString(), PASSWORD_FILE_IN_CONTAINER, BindMode.READ_ONLY);
  }

  /**
   * Sets a server setting through its {@code POSTGRESQL_<NAME>} variable; the launcher checks name
   * and value against the server before it starts anything.
   *
   * @param name as in postgresql.conf, e.g. {@code shared_buffers} or {@code
   *     pg_stat_statements.max}
   * @throws IllegalArgumentException for a name postgresql.conf would not accept, and for {@code
   *     port}: the image's port is fixed, map another host port instead
   */
  public PgContainer withSetting(String name, String value) {
    if (!SETTING_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a setting name: use the lower-case name from postgresql.conf, e.g. work_mem");
    }
    if (name.equals("port")) {
      throw new IllegalArgumentException(
          "the port inside the container stays "
              + POSTGRESQL_PORT
              + ": use getMappedPort(POSTGRESQL_PORT) instead");
    }
    return withEnv("POSTGRESQL_" + name.replace(".", "__").toUpperCase(Locale.ROOT), value);
  }

  /**
   * Maintenance mode ({@code SLEEP_MODE=true}): the launcher starts no server and stays alive, e.g.
   * to repair the data volume with {@code execInContainer}. {@link #start()} then waits for the
   * health endpoint to report the container sleeping (healthy) instead of ready.
   */
  public PgContainer withSleepMode() {
    this.sleepMode = true;
    // /ready stays 503 on purpose while sleeping; /health is 200 then ("sleeping" is healthy)
    return waitingFor(healthEndpointAnswers200("/health"));
  }

  @Override
  protected void configure() {
    super.configure();
    // the launcher refuses both variables at once; the latest choice wins
    if (passwordFile != null) {
      getEnvMap().remove("POSTGRES_PASSWORD");
      withEnv("POSTGRES_PASSWORD_FILE", PASSWORD_FILE_IN_CONTAINER);
    } else {
      getEnvMap().remove("POSTGRES_PASSWORD_FILE");
    }
    if (sleepMode) {
      withEnv("SLEEP_MODE", "true");
    }
  }

  private static WaitStrategy healthEndpointAnswers200(String path) {
    return Wait.forHttp(path)
        .forPort(HEALTH_PORT)
        .forStatusCode(200)
        .withRateLimiter(HEALTH_POLL)
        .withStartupTimeout(STARTUP_TIMEOUT);
  }

  /**
   * The base URL of the launcher's health endpoint on the mapped port, e.g. to read {@code
   * /metrics}.
   */
  public String getHealthUrl() {
    return "http://" + getHost() + ":" + getMappedPort(HEALTH_PORT);
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }
}
