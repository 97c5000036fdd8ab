package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgInstallation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where an installed PostgreSQL looks for extensions: libraries in {@code pkglibdir}, control files
 * in {@code sharedir/extension}. {@code pg_config} beside the server says so; without one (e.g. the
 * embedded binaries), the two layouts of a relocatable build next to {@code bin/} are tried, each
 * recognised by the plpgsql every server has.
 */
record ServerExtensionDirectories(Path pkglibdir, Path sharedir) {

  private static final long PG_CONFIG_SECONDS = 10;

  static ServerExtensionDirectories of(PgInstallation installation) {
    Path pgConfig = installation.binDir().resolve("pg_config");
    if (Files.isExecutable(pgConfig)) {
      Optional<ServerExtensionDirectories> reported = fromPgConfig(pgConfig);
      if (reported.isPresent()) {
        return reported.get();
      }
    }
    Path prefix = installation.binDir().getParent();
    Path pkglibdir =
        firstHolding(
            List.of(prefix.resolve("lib/postgresql"), prefix.resolve("lib")), "plpgsql.so");
    Path sharedir =
        firstHolding(
            List.of(prefix.resolve("share/postgresql"), prefix.resolve("share")),
            "extension/plpgsql.control");
    return new ServerExtensionDirectories(pkglibdir, sharedir);
  }

  /** The library of extension {@code name}. */
  Path library(String name) {
    return pkglibdir.resolve(name + ".so");
  }

  /** The control file of extension {@code name}. */
  Path controlFile(String name) {
    return sharedir.resolve("extension").resolve(name + ".control");
  }

  private static Optional<ServerExtensionDirectories> fromPgConfig(Path pgConfig) {
    try {
      Process process =
          new ProcessBuilder(pgConfig.toString(), "--pkglibdir", "--sharedir")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(PG_CONFIG_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      List<String> lines = output.lines().map(String::strip).toList();
      if (process.exitValue() != 0 || lines.size() != 2) {
        return Optional.empty();
      }
      return Optional.of(
          new ServerExtensionDirectories(Path.of(lines.get(0)), Path.of(lines.get(1))));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The first directory holding {@code marker}; the first candidate when none does (then messages
   * name it).
   */
  private static Path firstHolding(List<Path> candidates, String marker) {
    return candidates.stream()
        .filter(dir -> Files.exists(dir.resolve(marker)))
        .findFirst()
        .orElse(candidates.get(0));
  }
}
