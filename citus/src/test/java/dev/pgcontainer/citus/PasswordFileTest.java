package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordFileTest {

  @Test
  void oneLineForTheSuperuserInTheCitusDatabaseOnAnyNodeReadableByItsOwnerOnly() {
    Settings settings = Settings.fromEnvironment(Map.of("HOSTNAME", "n", "PGCONFIG", "/cfg", "CITUS_ENABLE", "true",
        "CITUS_DATABASE", "shop", "POSTGRES_USER", "admin", "POSTGRES_PASSWORD", "pw"));

    RenderedFile file = PasswordFile.render(settings, Secret.of("pa:ss\\word"));

    assertThat(file.path()).isEqualTo(Path.of("/cfg/citus.pgpass"));
    assertThat(file.content()).isEqualTo("*:*:shop:admin:pa\\:ss\\\\word\n");
    assertThat(file.mode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(file.toString()).doesNotContain("pa:ss");
  }
}
