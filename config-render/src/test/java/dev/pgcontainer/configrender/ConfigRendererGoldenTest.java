package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.GoldenFiles;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Environment maps rendered with the built-in templates, compared with reviewed files ({@link
 * GoldenFiles}); regenerate them with {@code mvn -pl config-render -am test
 * -Dtest=ConfigRendererGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}.
 */
class ConfigRendererGoldenTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("defaults", env("POSTGRES_PASSWORD", "s3cret")),
        Arguments.of(
            "external-access-off-unusual-paths",
            env(
                "EXTERNAL_ACCESS_ENABLE", "false",
                "PGCONFIG", "/srv/it's config",
                "PGLOG", "/srv/logs\\today",
                "PGSOCKET", "/run/postgres,sockets")),
        Arguments.of(
            "md5",
            env(
                "EXTERNAL_ACCESS_METHOD",
                "md5",
                "POSTGRES_USER",
                "app",
                "POSTGRES_PASSWORD",
                "s3cret")),
        Arguments.of(
            "password-method-keyword-superuser",
            env(
                "EXTERNAL_ACCESS_METHOD",
                "password",
                "POSTGRES_USER",
                "all",
                "POSTGRES_PASSWORD",
                "s3cret")),
        Arguments.of(
            "many-server-settings",
            env(
                "POSTGRES_PASSWORD", "s3cret",
                "POSTGRESQL_SHARED_BUFFERS", "512MB",
                "POSTGRESQL_MAX_CONNECTIONS", "200",
                "POSTGRESQL_WORK_MEM", "4MB",
                "POSTGRESQL_PORT", "5433",
                "POSTGRESQL_LISTEN_ADDRESSES", "0.0.0.0",
                "POSTGRESQL_SHARED_PRELOAD_LIBRARIES", "pg_stat_statements,auto_explain",
                "POSTGRESQL_PG_STAT_STATEMENTS__MAX", "5000",
                "POSTGRESQL_AUTO_EXPLAIN__LOG_MIN_DURATION", "250ms",
                "POSTGRESQL_SEARCH_PATH", "\"$user\", public",
                "POSTGRESQL_APPLICATION_NAME", "it's \\ 😀",
                "POSTGRESQL_LOG_LINE_PREFIX", "%m [%p]\t",
                "POSTGRESQL_CLUSTER_NAME", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersTheReviewedFiles(String name, Map<String, String> env) {
    Settings settings = Settings.fromEnvironment(env);
    List<RenderedFile> files =
        ConfigRenderer.withDefaultTemplates().render(RenderInput.of(settings, "postgres"));

    GoldenFiles.assertMatches(
        name, files.stream().collect(Collectors.toMap(RenderedFile::path, RenderedFile::content)));
  }

  /**
   * An environment from name/value pairs, with a fixed host name so nothing depends on the machine.
   */
  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new TreeMap<>();
    env.put("HOSTNAME", "db-0");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }
}
