package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Discovery against fake bin directories whose programs are shell scripts: no PostgreSQL needed.
 */
class PgInstallationTest {

  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)|15.18|15",
        "postgres (PostgreSQL) 17.9|17.9|17",
        "postgres (PostgreSQL) 16beta1|16beta1|16",
        "postgres (PostgreSQL) 16rc1|16rc1|16",
        "postgres (PostgreSQL) 18devel|18devel|18",
        "postgres (PostgreSQL) 14.10 (Ubuntu 14.10-0ubuntu0.22.04.1)|14.10|14",
        "postgres (PostgreSQL) 14.9 (Homebrew)|14.9|14",
        "postgres (PostgreSQL) 9.6.24|9.6.24|9",
        "  postgres (PostgreSQL) 13.4  |13.4|13",
      })
  void parsesTheVersionLineOfRealBuilds(String output, String version, int major) {
    assertThat(PgInstallation.parseVersion(output + "\n"))
        .contains(new PgInstallation.ParsedVersion(version, major));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"postgres: invalid option -- 'x'", "PostgreSQL", "(PostgreSQL) beta"})
  void findsNoVersionInOtherOutput(String output) {
    assertThat(PgInstallation.parseVersion(output)).isEmpty();
  }

  @Test
  void explicitBinDirWins() throws IOException {
    Path explicit = serverBinDir(temp.resolve("custom/bin"), "17.9");
    Path root = temp.resolve("versions");
    serverBinDir(root.resolve("15/bin"), "15.18");

    Optional<PgInstallation> found =
        PgInstallation.discover(Map.of("PG_BINDIR", explicit.toString()), root);

    assertThat(found).contains(new PgInstallation(explicit, 17, "17.9"));
  }

  @Test
  void explicitDirectoryWithoutServerIsAnErrorNamingTheVariable() throws IOException {
    Path clientOnly = temp.resolve("client/bin");
    Files.createDirectories(clientOnly);
    executable(clientOnly.resolve("psql"), "exit 0");
    executable(clientOnly.resolve("pg_ctl"), "exit 0");

    assertThatThrownBy(
            () -> PgInstallation.discover(Map.of("PG_BINDIR", clientOnly.toString()), temp))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems())
                  .singleElement()
                  .satisfies(
                      problem -> {
                        assertThat(problem.variable()).isEqualTo("PG_BINDIR");
                        assertThat(problem.value()).contains(clientOnly.toString());
                        assertThat(problem.message())
                            .contains("postgres, initdb")
                            .contains("/usr/lib/postgresql/15/bin");
                      });
            });
  }

  @Test
  void explicitDirectoryThatDoesNotExistIsAnError() {
    assertThatThrownBy(() -> PgInstallation.discover(Map.of("PG_BINDIR", "/nowhere/bin"), temp))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PG_BINDIR='/nowhere/bin'");
  }

  @Test
  void blankExplicitDirectoryCountsAsUnset() throws IOException {
    Path root = temp.resolve("versions");
    Path bin = serverBinDir(root.resolve("15/bin"), "15.18");

    assertThat(PgInstallation.discover(Map.of("PG_BINDIR", " "), root))
        .map(PgInstallation::binDir)
        .contains(bin);
  }

  @Test
  void pgConfigBesideAServerIsNotRunBecauseItWouldNameItsOwnDirectory() throws IOException {
    Path bin = serverBinDir(temp.resolve("pg/bin"), "16.4");
    Path ran = temp.resolve("pg_config-ran");
    executable(bin.resolve("pg_config"), "touch " + ran + "; echo /elsewhere");

    Optional<PgInstallation> found =
        PgInstallation.discover(Map.of("PATH", "/nonexistent:" + bin), temp.resolve("none"));

    assertThat(found).map(PgInstallation::binDir).contains(bin);
    assertThat(ran).doesNotExist();
  }

  @Test
  void pgConfigWrapperIsAskedForTheBinDir() throws IOException {
    Path bin = serverBinDir(temp.resolve("lib/postgresql/16/bin"), "16.4");
    Path wrappers = Files.createDirectories(temp.resolve("usr/bin"));
    executable(wrappers.resolve("pg_config"), "[ \"$1\" = --bindir ] && echo " + bin);

    Optional<PgInstallation> found =
        PgInstallation.discover(Map.of("PATH", wrappers.toString()), temp.resolve("none"));

    assertThat(found).contains(new PgInstallation(bin, 16, "16.4"));
  }

  @Test
  void pgConfigNamingNoServerFallsBackToTheVersionedDirectories() throws IOException {
    Path wrappers = Files.createDirectories(temp.resolve("usr/bin"));
    executable(wrappers.resolve("pg_config"), "echo /usr/lib/postgresql/99/bin");
    Path root = temp.resolve("versions");
    Path bin = serverBinDir(root.resolve("15/bin"), "15.18");

    assertThat(PgInstallation.discover(Map.of("PATH", wrappers.toString()), root))
        .map(PgInstallation::binDir)
        .contains(bin);
  }

  @Test
  void newestVersionedDirectoryWinsByNumberNotByText() throws IOException {
    Path root = temp.resolve("versions");
    serverBinDir(root.resolve("9/bin"), "9.6.24");
    serverBinDir(root.resolve("15/bin"), "15.18");
    Path newest = serverBinDir(root.resolve("17/bin"), "17.9");

    assertThat(PgInstallation.discover(Map.of(), root))
        .map(PgInstallation::binDir)
        .contains(newest);
  }

  @Test
  void versionedDirectoriesWithoutServerOrWithOtherNamesAreSkipped() throws IOException {
    Path root = temp.resolve("versions");
    serverBinDir(root.resolve("9.6/bin"), "9.6.24");
    Path server = serverBinDir(root.resolve("15/bin"), "15.18");
    Files.createDirectories(root.resolve("17/bin")); // postgresql-client-17 only: psql, no server
    executable(root.resolve("17/bin/psql"), "exit 0");
    serverBinDir(root.resolve("main/bin"), "99.0");

    assertThat(PgInstallation.discover(Map.of(), root))
        .map(PgInstallation::binDir)
        .contains(server);
  }

  @Test
  void nothingFoundIsEmpty() {
    assertThat(PgInstallation.discover(Map.of("PATH", temp.toString()), temp.resolve("none")))
        .isEmpty();
  }

  @Test
  void binDirWhosePostgresPrintsNoVersionIsRejected() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("odd/bin"));
    executable(bin.resolve("postgres"), "exit 0");
    executable(bin.resolve("initdb"), "exit 0");
    executable(bin.resolve("pg_ctl"), "echo 'something else'");

    assertThatThrownBy(() -> PgInstallation.at(bin))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("printed no PostgreSQL version")
        .hasMessageContaining("something else");
  }

  @Test
  void binaryResolvesProgramsInTheBinDir() {
    PgInstallation installation =
        new PgInstallation(Path.of("/opt/postgresql/15/bin"), 15, "15.18");

    assertThat(installation.binary("pg_ctl")).isEqualTo(Path.of("/opt/postgresql/15/bin/pg_ctl"));
    assertThatThrownBy(() -> installation.binary("../../../bin/sh"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A directory with postgres, initdb and pg_ctl (printing {@code version}). */
  private static Path serverBinDir(Path dir, String version) throws IOException {
    Files.createDirectories(dir);
    executable(dir.resolve("postgres"), "exit 0");
    executable(dir.resolve("initdb"), "exit 0");
    executable(dir.resolve("pg_ctl"), "echo 'pg_ctl (PostgreSQL) " + version + "'");
    return dir;
  }

  private static void executable(Path file, String script) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
