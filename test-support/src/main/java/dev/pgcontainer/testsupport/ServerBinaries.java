package dev.pgcontainer.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL server binaries every test runs: the directory named by the system property
 * {@value #PROPERTY} (e.g. {@code mvn verify
 * -Dpgcontainer.test.bindir=/usr/lib/postgresql/16/bin}), else {@value #DEFAULT}, where Debian's
 * postgresql-15 puts them.
 */
public final class ServerBinaries {

  public static final String PROPERTY = "pgcontainer.test.bindir";

  public static final String DEFAULT = "/usr/lib/postgresql/15/bin";

  private ServerBinaries() {}

  /** The directory holding postgres, initdb, pg_ctl and the client programs. */
  public static Path binDir() {
    return Path.of(System.getProperty(PROPERTY, DEFAULT));
  }

  /**
   * The program {@code name} of {@link #binDir()}, e.g. {@code binary("pg_ctl")}.
   *
   * @throws AssertionError when it is not there, saying how to point the tests at another
   *     installation
   */
  public static Path binary(String name) {
    Path binary = binDir().resolve(name);
    if (!Files.isExecutable(binary)) {
      throw new AssertionError(
          binary
              + " is missing: the integration tests need PostgreSQL; set -D"
              + PROPERTY
              + "=<its bin directory>");
    }
    return binary;
  }
}
