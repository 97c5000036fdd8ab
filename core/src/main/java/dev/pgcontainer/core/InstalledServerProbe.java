package dev.pgcontainer.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the installed {@code postgres}. The config file is judged with {@code postgres -C port}: as
 * the first argument {@code -C} is allowed as root, reads the file exactly as a starting server
 * does (every bad value is reported, at LOG level) and exits before touching a data directory
 * (about 40 ms).
 */
final class InstalledServerProbe implements ServerProbe {

  private static final Logger LOG = LoggerFactory.getLogger(InstalledServerProbe.class);

  private static final Map<String, String> ENVIRONMENT = Map.of("LC_ALL", "C");

  /**
   * Fixed on the command line, which outranks the file: the file's values for these are still
   * judged, but cannot send the messages elsewhere (syslog), hide them (log_min_messages,
   * log_error_verbosity) or reword them (a prefix, another language).
   */
  private static final List<String> PINNED_PARAMETERS =
      List.of(
          "log_destination=stderr",
          "log_line_prefix=",
          "log_min_messages=warning",
          "log_error_verbosity=default",
          "lc_messages=C");

  private static final int MAX_DIRECTORY_ATTEMPTS = 10;

  private final PgInstallation installation;

  InstalledServerProbe(PgInstallation installation) {
    this.installation = installation;
  }

  @Override
  public String describeConfig() {
    ShortCommand.Result result =
        ShortCommand.run(List.of(postgres(), "--describe-config"), ENVIRONMENT);
    if (result.exitCode() != 0) {
      throw new PgcontainerException(
          postgres()
              + " --describe-config failed (exit "
              + result.exitCode()
              + "): "
              + result.stderr().strip());
    }
    return result.stdout();
  }

  @Override
  public ConfigFileVerdict readConfigFile(List<String> lines) {
    Path directory = null;
    try {
      directory = createPrivateDirectory();
      Path configFile = directory.resolve("postgresql.conf");
      Files.write(configFile, lines, StandardCharsets.UTF_8);
      // present but empty, so the server neither reads a real one nor logs that it is missing
      Files.createFile(directory.resolve("postgresql.auto.conf"));
      List<String> command =
          new ArrayList<>(
              List.of(
                  // -C must come first: only then does postgres agree to run as root
                  postgres(),
                  "-C",
                  "port",
                  "-D",
                  directory.toString(),
                  "-c",
                  "config_file=" + configFile,
                  // outranks a data_directory in the file, which would make the server read that
                  // one's auto file
                  "-c",
                  "data_directory=" + directory));
      PINNED_PARAMETERS.forEach(parameter -> command.addAll(List.of("-c", parameter)));
      ShortCommand.Result result = ShortCommand.run(command, ENVIRONMENT);
      return new ConfigFileVerdict(result.exitCode(), result.stderr());
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not write the temporary file the POSTGRESQL_* settings are checked in ("
              + e.getMessage()
              + "): make the directory in java.io.tmpdir (default /tmp) writable",
          e);
    } finally {
      deleteQuietly(directory);
    }
  }

  /**
   * A new 0700 directory in java.io.tmpdir. Not {@link Files#createTempDirectory}: its random name
   * comes from a SecureRandom, whose set-up cost a tenth of the launcher's start-up. The name need
   * not be secret: creating a directory fails on any existing name (a planted link too), and the
   * next attempt takes another.
   */
  private static Path createPrivateDirectory() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    for (int attempt = 1; ; attempt++) {
      Path candidate =
          base.resolve(
              "pgcontainer-settings-check-"
                  + ProcessHandle.current().pid()
                  + "-"
                  + System.nanoTime());
      try {
        return Files.createDirectory(candidate, ownerOnly);
      } catch (FileAlreadyExistsException e) {
        if (attempt == MAX_DIRECTORY_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private String postgres() {
    return installation.binary("postgres").toString();
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try {
      Files.deleteIfExists(directory.resolve("postgresql.conf"));
      Files.deleteIfExists(directory.resolve("postgresql.auto.conf"));
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      LOG.warn("could not delete the temporary directory {}: {}", directory, e.getMessage());
    }
  }
}
