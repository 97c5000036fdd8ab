package dev.pgcontainer.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An installation laid out like a relocatable build ({@code bin/}, {@code lib/postgresql/}, {@code
 * share/postgresql/extension/}) with empty files and no pg_config: enough to find extensions,
 * nothing to run.
 */
public final class FakeInstallation {

  private FakeInstallation() {}

  /**
   * Lays out plpgsql and {@code extensions} (e.g. {@code citus}: {@code citus.so} and {@code
   * citus.control}) under {@code prefix}.
   *
   * @return the bin directory ({@code prefix/bin}), empty
   */
  public static Path under(Path prefix, String... extensions) throws IOException {
    Path bin = Files.createDirectories(prefix.resolve("bin"));
    Path lib = Files.createDirectories(prefix.resolve("lib/postgresql"));
    Path controlFiles = Files.createDirectories(prefix.resolve("share/postgresql/extension"));
    addExtension(lib, controlFiles, "plpgsql");
    for (String extension : extensions) {
      addExtension(lib, controlFiles, extension);
    }
    return bin;
  }

  private static void addExtension(Path lib, Path controlFiles, String name) throws IOException {
    Files.writeString(lib.resolve(name + ".so"), "");
    Files.writeString(controlFiles.resolve(name + ".control"), "");
  }
}
