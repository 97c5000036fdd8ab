package dev.pgcontainer.core;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server binaries pgcontainer runs: a directory holding {@code postgres}, {@code
 * initdb} and {@code pg_ctl}, and the version {@code pg_ctl --version} reports (the same build as
 * the server beside it).
 *
 * @param binDir the directory holding the server binaries
 * @param majorVersion the first number of the version, e.g. 15 for 15.18 and 16 for 16beta1 (9 for
 *     the 9.x releases)
 * @param version the version as the server names itself, e.g. {@code 15.18}, {@code 17.9}, {@code
 *     16beta1}
 */
public record PgInstallation(Path binDir, int majorVersion, String version) {

  private static final Logger LOG = LoggerFactory.getLogger(PgInstallation.class);

  /**
   * Where Debian and Ubuntu packages put each major version: {@code
   * /usr/lib/postgresql/<major>/bin}.
   */
  static final Path VERSIONED_ROOT = Path.of("/usr/lib/postgresql");

  /** What a directory must hold for the launcher to initialise, start and stop a server from it. */
  private static final List<String> SERVER_BINARIES = List.of("postgres", "initdb", "pg_ctl");

  private static final Pattern VERSION_AFTER_PRODUCT =
      Pattern.compile(
          "\\(PostgreSQL\\)\\s+((\\d{1,9})(?:\\.\\d{1,9})*(?:(?:alpha|beta|rc)\\d+|devel)?)");
  private static final Pattern VERSIONED_DIRECTORY = Pattern.compile("\\d{1,9}(?:\\.\\d{1,9})*");
  private static final Comparator<List<Integer>> BY_VERSION = PgInstallation::compareVersionKeys;

  /** Keeps child output in English and independent of the container's locale. */
  private static final Map<String, String> CHILD_ENVIRONMENT = Map.of("LC_ALL", "C");

  public PgInstallation {
    Objects.requireNonNull(binDir, "binDir");
    Objects.requireNonNull(version, "version");
    if (majorVersion <= 0) {
      throw new IllegalArgumentException("majorVersion must be positive, was " + majorVersion);
    }
  }

  /** The path of the program {@code name} in {@link #binDir()}, e.g. {@code binary("pg_ctl")}. */
  public Path binary(String name) {
    if (name.isEmpty() || name.contains(File.separator)) {
      throw new IllegalArgumentException(
          "a program name without directories is expected, was '" + name + "'");
    }
    return binDir.resolve(name);
  }

  /**
   * The installation in {@code binDir}; runs {@code pg_ctl --version} once: the same build as the
   * server beside it, and 3-4 times cheaper to start than {@code postgres}, which links some forty
   * libraries (this runs on every start).
   *
   * @throws PgcontainerException when the directory lacks a server binary or pg_ctl does not say
   *     its version
   */
  public static PgInstallation at(Path binDir) {
    Path absolute = binDir.toAbsolutePath().normalize();
    List<String> missing = missingServerBinaries(absolute);
    if (!missing.isEmpty()) {
      throw new PgcontainerException(
          absolute
              + " is not a PostgreSQL server bin directory: it has no executable "
              + String.join(", ", missing));
    }
    Path pgCtl = absolute.resolve("pg_ctl");
    ShortCommand.Result result =
        ShortCommand.run(List.of(pgCtl.toString(), "--version"), CHILD_ENVIRONMENT);
    if (result.exitCode() != 0) {
      throw new PgcontainerException(
          pgCtl + " --version failed (exit " + result.exitCode() + "): " + result.stderr().strip());
    }
    ParsedVersion parsed =
        parseVersion(result.stdout())
            .orElseThrow(
                () ->
                    new PgcontainerException(
                        pgCtl
                            + " --version printed no PostgreSQL version: '"
                            + result.stdout().strip()
                            + "'"));
    return new PgInstallation(absolute, parsed.major(), parsed.version());
  }

  /**
   * Finds the server binaries, first match wins: {@code PG_BINDIR} in {@code env}; the bin
   * directory of the {@code pg_config} first on {@code env}'s {@code PATH}; the newest {@code
   * /usr/lib/postgresql/<version>/bin} holding a server. Empty when none is found, so commands that
   * need no server (render) still work.
   *
   * @throws ConfigurationException when {@code PG_BINDIR} is set but is not a server bin directory
   */
  public static Optional<PgInstallation> discover(Map<String, String> env) {
    return discover(env, VERSIONED_ROOT);
  }

  /**
   * As {@link #discover(Map)}, with the versioned directories searched under {@code versionedRoot}.
   */
  static Optional<PgInstallation> discover(Map<String, String> env, Path versionedRoot) {
    String explicit = env.get(Variable.PG_BINDIR.name());
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(fromExplicitBinDir(explicit));
    }
    Optional<PgInstallation> found =
        fromPgConfigOnPath(env.get("PATH"))
            .map(dir -> found(dir, "via pg_config on PATH"))
            .or(
                () ->
                    newestVersionedBinDir(versionedRoot)
                        .map(dir -> found(dir, "under " + versionedRoot)));
    if (found.isEmpty()) {
      LOG.debug(
          "no PostgreSQL server found: {} is unset, no pg_config on PATH, no <version>/bin under {}",
          Variable.PG_BINDIR.name(),
          versionedRoot);
    }
    return found;
  }

  private static PgInstallation fromExplicitBinDir(String value) {
    try {
      return found(Path.of(value), "via " + Variable.PG_BINDIR.name());
    } catch (PgcontainerException | InvalidPathException e) {
      throw new ConfigurationException(
          List.of(
              ConfigurationProblem.of(
                  Variable.PG_BINDIR.name(),
                  value,
                  e.getMessage()
                      + "; set it to the directory holding postgres, initdb and pg_ctl (e.g."
                      + " /usr/lib/postgresql/15/bin), or unset it to let pgcontainer find one")));
    }
  }

  /**
   * @param how where it was found, completing "found": {@code via PG_BINDIR}, {@code under
   *     /usr/lib/postgresql}
   */
  private static PgInstallation found(Path binDir, String how) {
    PgInstallation installation = at(binDir);
    LOG.info(
        "using PostgreSQL {} in {} (found {})", installation.version(), installation.binDir(), how);
    return installation;
  }

  /**
   * The bin directory of the first {@code pg_config} on {@code path}. A real pg_config reports the
   * directory it lives in, so when a server sits beside it no process is needed; only wrappers
   * (Debian's {@code /usr/bin/pg_config} is a shell script choosing the newest version) are run.
   */
  private static Optional<Path> fromPgConfigOnPath(String path) {
    Optional<Path> pgConfig = findOnPath(path, "pg_config");
    if (pgConfig.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path besideReal = pgConfig.get().toRealPath().getParent();
      if (missingServerBinaries(besideReal).isEmpty()) {
        return Optional.of(besideReal);
      }
    } catch (IOException e) {
      LOG.debug("cannot resolve {}: {}", pgConfig.get(), e.getMessage());
      return Optional.empty();
    }
    ShortCommand.Result result;
    try {
      result =
          ShortCommand.run(
              List.of(pgConfig.get().toString(), "--bindir"), Map.of("PATH", path, "LC_ALL", "C"));
    } catch (PgcontainerException e) {
      LOG.warn("ignoring {}: {}", pgConfig.get(), e.getMessage());
      return Optional.empty();
    }
    Path reported = Path.of(result.stdout().strip());
    if (result.exitCode() != 0
        || !reported.isAbsolute()
        || !missingServerBinaries(reported).isEmpty()) {
      // e.g. libpq-dev's pg_config names a bin directory of a server that is not installed
      LOG.debug(
          "{} --bindir gave no server directory (exit {}): {}",
          pgConfig.get(),
          result.exitCode(),
          reported);
      return Optional.empty();
    }
    return Optional.of(reported);
  }

  private static Optional<Path> findOnPath(String path, String program) {
    if (path == null) {
      return Optional.empty();
    }
    // An empty PATH entry means the working directory; that is never where a container keeps its
    // server.
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * {@code root/<version>/bin} of the highest version holding a server; client-only versions are
   * skipped.
   */
  private static Optional<Path> newestVersionedBinDir(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(child -> VERSIONED_DIRECTORY.matcher(child.getFileName().toString()).matches())
          .sorted(Comparator.comparing(PgInstallation::versionKey, BY_VERSION.reversed()))
          .map(child -> child.resolve("bin"))
          .filter(bin -> missingServerBinaries(bin).isEmpty())
          .findFirst();
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", root, e.getMessage());
      return Optional.empty();
    }
  }

  private static List<String> missingServerBinaries(Path dir) {
    return SERVER_BINARIES.stream()
        .filter(
            name ->
                !Files.isRegularFile(dir.resolve(name)) || !Files.isExecutable(dir.resolve(name)))
        .collect(Collectors.toList());
  }

  /** {@code .../9.6} → [9, 6]: directory names compare by number, so 9.6 < 10 < 15 < 17. */
  private static List<Integer> versionKey(Path versionedDirectory) {
    List<Integer> key = new ArrayList<>();
    for (String part : versionedDirectory.getFileName().toString().split("\\.")) {
      key.add(Integer.parseInt(part));
    }
    return key;
  }

  private static int compareVersionKeys(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int byPart = Integer.compare(a.get(i), b.get(i));
      if (byPart != 0) {
        return byPart;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /**
   * The version in {@code pg_ctl --version} output, e.g. {@code pg_ctl (PostgreSQL) 15.18 (Debian
   * ...)}.
   */
  static Optional<ParsedVersion> parseVersion(String versionOutput) {
    Matcher matcher = VERSION_AFTER_PRODUCT.matcher(versionOutput);
    if (!matcher.find()) {
      return Optional.empty();
    }
    return Optional.of(new ParsedVersion(matcher.group(1), Integer.parseInt(matcher.group(2))));
  }

  record ParsedVersion(String version, int major) {}
}
