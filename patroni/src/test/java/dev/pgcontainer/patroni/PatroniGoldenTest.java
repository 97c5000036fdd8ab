package dev.pgcontainer.patroni;

import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.GoldenFiles;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server's files and patroni.yml of a member with names that need quoting, compared with
 * reviewed files ({@link GoldenFiles}); regenerate them with {@code mvn -pl patroni -am test
 * -Dtest=PatroniGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}.
 */
class PatroniGoldenTest {

  @Test
  void rendersTheReviewedFilesWithQuotedNames() {
    Settings settings =
        TestSettings.of(
            Map.of(
                "HOSTNAME", "db-0",
                "PATRONI_ENABLE", "true",
                "POSTGRES_USER", "Admin User",
                "POSTGRES_PASSWORD", "s3cret",
                "PATRONI_REPLICATION_USER", "repl \"user\" #1",
                "PATRONI_REPLICATION_PASSWORD", "r3pl"));

    List<RenderedFile> files =
        ConfigRenderer.withDefaultTemplates()
            .render(
                RenderInput.of(settings, "postgres")
                    .withContributors(List.of(new PatroniFeature())));

    GoldenFiles.assertMatches(
        "patroni-quoted-names",
        files.stream().collect(Collectors.toMap(RenderedFile::path, RenderedFile::content)));
  }
}
