package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.SettingsSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every pgcontainer service of the shipped compose files (container/compose) has an environment the
 * launcher accepts as {@code validate} and {@code run} judge it before they touch anything, so an
 * example cannot rot when a rule changes. Read with SnakeYAML (which comes with
 * jackson-dataformat-yaml) because it resolves the files' anchors and merge keys as compose does.
 */
class ComposeFilesTest {

  private static final Path COMPOSE_DIRECTORY =
      Path.of(System.getProperty("basedir", "."))
          .toAbsolutePath()
          .getParent()
          .resolve("container/compose");

  /** The image's own ENV (container/Dockerfile) that the launcher reads. */
  private static final Map<String, String> IMAGE_ENVIRONMENT =
      Map.of(
          "PG_BINDIR", "/usr/lib/postgresql/15/bin",
          "PGDATA", "/usr/local/pgsql/data",
          "PGCONFIG", "/usr/local/pgsql/config",
          "PGLOG", "/usr/local/pgsql/log",
          "PGSOCKET", "/var/run/postgresql");

  /**
   * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}} and their forms without the
   * colon.
   */
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?}");

  /** What an operator gives for the variables a file requires ({@code ${NAME:?...}}). */
  private static final String REQUIRED_VALUE = "Compose-Secret-1";

  static Stream<Arguments> pgcontainerServices() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(COMPOSE_DIRECTORY)) {
      files = listed.filter(file -> file.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).as("compose files in %s", COMPOSE_DIRECTORY).isNotEmpty();
    Stream.Builder<Arguments> services = Stream.builder();
    for (Path file : files) {
      Map<String, Map<String, Object>> all = services(file);
      all.forEach(
          (name, service) -> {
            if (String.valueOf(service.get("image")).startsWith("${PGCONTAINER_IMAGE")) {
              services.add(
                  Arguments.of(file.getFileName().toString(), name, service.get("environment")));
            }
          });
    }
    return services.build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> compose = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pgcontainerServices")
  void theServicesEnvironmentIsValidAndDrawsNoWarning(
      String file, String service, Map<String, Object> environment) {
    Map<String, String> env = new HashMap<>(IMAGE_ENVIRONMENT);
    env.put("HOSTNAME", service);
    if (environment != null) {
      environment.forEach((name, value) -> env.put(name, interpolated(String.valueOf(value))));
    }

    Settings settings = SettingsSource.offline(env); // a ConfigurationException lists every problem
    assertThat(settings.warnings())
        .as("%s, service %s", file, service)
        .allMatch(warning -> warning.startsWith("server settings not checked"));
  }

  /** As compose substitutes from an environment holding only the required variables. */
  private static String interpolated(String value) {
    Matcher matcher = INTERPOLATION.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          "?".equals(matcher.group(2))
              ? REQUIRED_VALUE
              : "-".equals(matcher.group(2)) ? matcher.group(3) : "";
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
