package dev.pgcontainer.citus;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Variable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code CITUS_ENABLE=true} needs beyond a well-formed environment, checked at validation,
 * before anything is written: the extension's files in the server that will run ({@code
 * <sharedir>/extension/citus.control} and {@code <pkglibdir>/citus.so}; without them postgres would
 * not even start with citus preloaded, and Patroni would rename PGDATA to data.failed), and, for
 * nodes that other nodes log in to, the superuser's password.
 */
public final class CitusPreflight {

  private static final String EXTENSION = "citus";

  private CitusPreflight() {}

  /** Every problem for {@code settings} run by {@code installation}; none when Citus is off. */
  public static List<ConfigurationProblem> problems(
      Settings settings, PgInstallation installation) {
    CitusSettings citus = CitusSettings.of(settings);
    List<ConfigurationProblem> problems = new ArrayList<>();
    if (!citus.enabled()) {
      return problems;
    }
    List<Path> missing = missingFiles(installation);
    if (!missing.isEmpty()) {
      problems.add(
          ConfigurationProblem.of(
              CitusVariable.CITUS_ENABLE.name(),
              "true",
              "the Citus extension is not installed in PostgreSQL "
                  + installation.version()
                  + " ("
                  + installation.binDir()
                  + "): "
                  + String.join(" and ", missing.stream().map(Path::toString).toList())
                  + (missing.size() == 1 ? " does" : " do")
                  + " not exist. Use an image with Citus built for PostgreSQL "
                  + installation.majorVersion()
                  + ", or set CITUS_ENABLE=false"));
    }
    if (citus.role() != CitusRole.STANDALONE && settings.superuser().password().isEmpty()) {
      problems.add(
          ConfigurationProblem.missing(
              Variable.POSTGRES_PASSWORD.name(),
              "a Citus "
                  + citus.role().name().toLowerCase(Locale.ROOT)
                  + " needs it: Citus nodes log in to each"
                  + " other as "
                  + settings.superuser().name()
                  + " with a password (never trust); set POSTGRES_PASSWORD,"
                  + " the same on every node of the cluster"));
    }
    return problems;
  }

  /**
   * Whether {@code installation} has the extension's control file and library (e.g. for tests that
   * need Citus).
   */
  public static boolean isInstalled(PgInstallation installation) {
    return missingFiles(installation).isEmpty();
  }

  private static List<Path> missingFiles(PgInstallation installation) {
    ServerExtensionDirectories directories = ServerExtensionDirectories.of(installation);
    return Stream.of(directories.controlFile(EXTENSION), directories.library(EXTENSION))
        .filter(file -> !Files.isRegularFile(file))
        .toList();
  }
}
