package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.ProcessSpec;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official image's {@code /docker-entrypoint-initdb.d}: on the first initialisation only, its
 * {@code *.sh}, {@code *.sql} and compressed {@code *.sql.gz|xz|zst} files run in the C-locale
 * order of their names, against a server that listens on the Unix socket only. SQL goes through
 * psql with ON_ERROR_STOP as POSTGRES_USER into POSTGRES_DB; an executable {@code *.sh} runs, any
 * other is sourced by bash with {@code set -Eeo pipefail}, as the official image sources it, with
 * its {@code docker_process_sql} function. Each script's output goes line by line to a logger named
 * after it; a failing script fails the initialisation, so the cluster is discarded and the next
 * start makes it again.
 */
public final class InitScripts {

  private static final Logger LOG = LoggerFactory.getLogger(InitScripts.class);

  /** Where the official image (and Testcontainers' withInitScript users) put them. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/docker-entrypoint-initdb.d");

  /**
   * Scripts may load large dumps: bounded only so that nothing waits forever; a stop signal ends
   * them at once.
   */
  private static final Duration SCRIPT_LIMIT = Duration.ofHours(24);

  /**
   * What the official entrypoint offers a sourced script and runs SQL files with, in a variable
   * rather than the command line, which every log and error message shows.
   */
  private static final String PRELUDE_VARIABLE = "PGCONTAINER_INITDB_PRELUDE";

  private static final String PRELUDE =
      String.join(
          "\n",
          "set -Eeo pipefail",
          "docker_process_sql() {",
          "  local query_runner=( psql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" --no-password --no-psqlrc )",
          "  if [ -n \"$POSTGRES_DB\" ]; then query_runner+=( --dbname \"$POSTGRES_DB\" ); fi",
          "  \"${query_runner[@]}\" \"$@\"",
          "}",
          "");

  private final Path directory;

  private InitScripts(Path directory) {
    this.directory = directory;
  }

  public static InitScripts in(Path directory) {
    return new InitScripts(directory);
  }

  public Path directory() {
    return directory;
  }

  /**
   * The files that run, in the C locale's order of their names (byte order); other entries are
   * ignored (and logged). A missing directory holds none; one that cannot be read is an error,
   * before anything is made.
   */
  public List<Path> scripts() {
    if (!Files.exists(directory)) {
      return List.of();
    }
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry :
          entries
              .sorted(Comparator.comparing(InitScripts::nameBytes, InitScripts::compareBytes))
              .toList()) {
        if (kind(entry) != Kind.IGNORED && Files.isRegularFile(entry)) {
          scripts.add(entry);
        } else {
          LOG.info(
              "ignoring {}: only *.sh, *.sql, *.sql.gz, *.sql.xz and *.sql.zst files run", entry);
        }
      }
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot list the init scripts in "
              + directory
              + " ("
              + e
              + "): make it"
              + " readable by the server's OS user, or remove it",
          e);
    }
    return scripts;
  }

  /**
   * Runs every script against the server of {@code instance} on {@code clusterDirectory} (already
   * started without a TCP listener, see {@link PostgresInstance#startUnlisted}), in order, stopping
   * at the first that fails.
   */
  void run(
      List<Path> scripts,
      Settings settings,
      PostgresInstance instance,
      Path clusterDirectory,
      Supervisor supervisor) {
    for (Path script : scripts) {
      LOG.info("running init script {}", script);
      ProcessSpec.Builder spec = instance.spec("initdb.d/" + script.getFileName(), command(script));
      environment(settings, instance, clusterDirectory).forEach(spec::putEnvironment);
      supervisor.run(spec.build(), SCRIPT_LIMIT);
    }
  }

  private static List<String> command(Path script) {
    String file = script.toString();
    return switch (kind(script)) {
      case SHELL -> Files.isExecutable(script) ? List.of(file) : shell(". \"$1\"", file);
      case SQL -> shell("docker_process_sql -f \"$1\"", file);
      case SQL_GZ -> shell("gunzip -c \"$1\" | docker_process_sql", file);
      case SQL_XZ -> shell("xzcat \"$1\" | docker_process_sql", file);
      case SQL_ZST -> shell("zstd -dc \"$1\" | docker_process_sql", file);
      case IGNORED -> throw new IllegalArgumentException("not an init script: " + script);
    };
  }

  private static List<String> shell(String line, String file) {
    return List.of("bash", "-c", "eval \"$" + PRELUDE_VARIABLE + "\"; " + line, "initdb.d", file);
  }

  /**
   * The official image's variables (POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD and PGPASSWORD as
   * there, PGDATA the cluster being made), with the server's binaries first on PATH and
   * PGHOST/PGPORT at its socket, so that plain {@code psql} reaches it.
   */
  private static Map<String, String> environment(
      Settings settings, PostgresInstance instance, Path clusterDirectory) {
    Map<String, String> environment = new java.util.TreeMap<>();
    Settings.Superuser superuser = settings.superuser();
    environment.put("POSTGRES_USER", superuser.name());
    environment.put("POSTGRES_DB", superuser.database());
    environment.put("POSTGRES_INITDB_ARGS", String.join(" ", superuser.initdbArguments()));
    superuser
        .password()
        .ifPresent(
            password -> {
              environment.put("POSTGRES_PASSWORD", password.reveal());
              environment.put("PGPASSWORD", password.reveal());
            });
    environment.put("PGDATA", clusterDirectory.toString());
    environment.put(PRELUDE_VARIABLE, PRELUDE);
    environment.put("PGHOST", settings.directories().socket().toString());
    environment.put("PGPORT", String.valueOf(settings.port()));
    String path = instance.childPath();
    environment.put("PATH", instance.binDir() + (path.isEmpty() ? "" : ":" + path));
    return environment;
  }

  private enum Kind {
    SHELL,
    SQL,
    SQL_GZ,
    SQL_XZ,
    SQL_ZST,
    IGNORED
  }

  private static Kind kind(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".sh")) {
      return Kind.SHELL;
    } else if (name.endsWith(".sql")) {
      return Kind.SQL;
    } else if (name.endsWith(".sql.gz")) {
      return Kind.SQL_GZ;
    } else if (name.endsWith(".sql.xz")) {
      return Kind.SQL_XZ;
    } else if (name.endsWith(".sql.zst")) {
      return Kind.SQL_ZST;
    }
    return Kind.IGNORED;
  }

  private static byte[] nameBytes(Path file) {
    return file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int compareBytes(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
