package dev.pgcontainer.launchercli;

import dev.pgcontainer.backup.BackupInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pgBackRest repository as the backup ITs see it: the environment that points a launcher at it,
 * and what it holds, read with pgBackRest itself (as user postgres: as root it would leave
 * root-owned lock and log files behind).
 */
final class BackupRepository {

  static final String STANZA = "main";

  private final Path directory;

  private BackupRepository(Path directory) {
    this.directory = directory;
  }

  /** The repository in {@code sandbox}'s root (the launcher creates it). */
  static BackupRepository in(LauncherSandbox sandbox) {
    return new BackupRepository(sandbox.root().resolve("repo"));
  }

  Path directory() {
    return directory;
  }

  /**
   * BACKUP_ENABLED with this repository and stanza {@value #STANZA}, plus {@code more} (name,
   * value, ...).
   */
  Map<String, String> environment(String... more) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "BACKUP_ENABLED",
                "true",
                "BACKUP_REPO_PATH",
                directory.toString(),
                "BACKUP_STANZA",
                STANZA));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** {@code pgbackrest info} through the pgbackrest.conf the launcher of {@code sandbox} wrote. */
  BackupInfo info(LauncherSandbox sandbox) {
    String json =
        LauncherSandbox.run(
            List.of(
                "setpriv",
                "--reuid=postgres",
                "--regid=postgres",
                "--init-groups",
                "pgbackrest",
                "--config=" + sandbox.config().resolve("pgbackrest.conf"),
                "--stanza=" + STANZA,
                "--log-level-console=off",
                "info",
                "--output=json"));
    return BackupInfo.parse(json, STANZA);
  }

  /**
   * Names of the archived files of the stanza (WAL segments, history files), e.g. {@code
   * 000000010000000000000003}.
   */
  List<String> archivedFiles() {
    Path archive = directory.resolve("archive").resolve(STANZA);
    if (!Files.isDirectory(archive)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(archive)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> file.getFileName().toString())
          .filter(name -> !name.startsWith("archive.info"))
          .map(name -> name.contains("-") ? name.substring(0, name.indexOf('-')) : name)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
