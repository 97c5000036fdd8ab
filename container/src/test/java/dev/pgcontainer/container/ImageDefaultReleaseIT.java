package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image as the Dockerfile builds it with no build arguments (Debian trixie, PostgreSQL 17, a
 * Java 21 runtime), while the other image tests run the build for the machines' own release: the
 * default builds, starts, takes writes, goes healthy and has its major's decoderbufs.
 */
class ImageDefaultReleaseIT {

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeImages(List.of(ImageUnderTest.DEFAULT_IMAGE));
  }

  @Test
  void theDefaultImageRunsPostgresql17AndGoesHealthy() throws Exception {
    try (PgContainer pg =
        new PgContainer(ImageUnderTest.DEFAULT_IMAGE)
            .withCommand(ImageExtensionsIT.DECODERBUFS_COMMAND)
            .withLogConsumer(ImageUnderTest.logTo("default-release"))) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SHOW server_version_num")).startsWith("17");
      Sql.execute(pg, "CREATE TABLE t (n int); INSERT INTO t VALUES (1)");
      assertThat(Sql.queryOne(pg, "SELECT count(*) FROM t")).isEqualTo("1");
      assertThat(Engine.awaitHealthy(pg, Duration.ofSeconds(180)))
          .contains("postgresql UP", "process UP");
      ImageExtensionsIT.assertDecoderbufsDecodes(pg);
    }
  }
}
