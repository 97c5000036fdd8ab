package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.testsupport.ServerBinaries;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery on this machine: Debian's postgresql-15, the tests' {@link ServerBinaries#binDir()
 * binaries}.
 */
class PgInstallationIT {

  private static final Path DEBIAN_15 = ServerBinaries.binDir();

  @Test
  void findsTheInstalledServerFromTheProcessEnvironment() {
    assertThat(PgInstallation.discover(System.getenv()))
        .hasValueSatisfying(
            installation -> {
              assertThat(installation.binDir()).isEqualTo(DEBIAN_15);
              assertThat(installation.majorVersion()).isEqualTo(15);
              assertThat(installation.version()).matches("15\\.\\d+");
            });
  }

  @Test
  void findsTheNewestVersionedDirectoryWithoutPathOrPgBindir() {
    assertThat(PgInstallation.discover(Map.of())).map(PgInstallation::binDir).contains(DEBIAN_15);
  }

  @Test
  void explicitBinDirReportsTheServersOwnVersion() {
    PgInstallation installation =
        PgInstallation.discover(Map.of("PG_BINDIR", DEBIAN_15.toString())).orElseThrow();

    assertThat(installation.binary("postgres")).isExecutable();
    assertThat(installation.version()).startsWith("15.");
  }
}
