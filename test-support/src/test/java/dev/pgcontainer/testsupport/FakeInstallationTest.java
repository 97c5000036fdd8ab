package dev.pgcontainer.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeInstallationTest {

  @TempDir Path prefix;

  @Test
  void laysOutPlpgsqlAndTheGivenExtensionsBesideAnEmptyBinDirectory() throws Exception {
    Path bin = FakeInstallation.under(prefix, "citus");

    assertThat(bin).isEqualTo(prefix.resolve("bin")).isEmptyDirectory();
    assertThat(prefix.resolve("lib/postgresql/plpgsql.so")).isRegularFile();
    assertThat(prefix.resolve("share/postgresql/extension/plpgsql.control")).isRegularFile();
    assertThat(prefix.resolve("lib/postgresql/citus.so")).isRegularFile();
    assertThat(prefix.resolve("share/postgresql/extension/citus.control")).isRegularFile();
  }

  @Test
  void withoutExtensionsOnlyPlpgsqlIsThere() throws Exception {
    FakeInstallation.under(prefix);

    assertThat(prefix.resolve("lib/postgresql"))
        .isDirectoryContaining(path -> path.endsWith("plpgsql.so"))
        .isDirectoryNotContaining(path -> path.endsWith("citus.so"));
  }
}
