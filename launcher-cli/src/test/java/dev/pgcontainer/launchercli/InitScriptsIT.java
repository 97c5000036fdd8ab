package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #14: the official image's {@code /docker-entrypoint-initdb.d}, run by the real launcher (as
 * root, dropping to the postgres user) on the first initialisation only, against a server without a
 * TCP listener.
 */
@ExtendWith(SandboxExtension.class)
class InitScriptsIT {

  private static final String SERVER_READY = "database system is ready to accept connections";

  /** Each script adds its step to this table, so the order they ran in is the order of the rows. */
  private static final String LOG_STEP = "INSERT INTO steps (step) VALUES ('%s');\n";

  private LauncherSandbox sandbox;
  private Path scripts;

  @BeforeEach
  void createEmptySandboxWithScriptsDirectory(Sandbox temporary) throws IOException {
    sandbox = LauncherSandbox.in(temporary);
    scripts = Files.createDirectory(sandbox.root().resolve("initdb.d"));
  }

  private Map<String, String> withScripts() {
    return Map.of("PGCONTAINER_INITDB_SCRIPTS", scripts.toString());
  }

  private Path script(String name, String content, String mode) throws IOException {
    Path file = Files.writeString(scripts.resolve(name), content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private void gzipped(String name, String content) throws IOException {
    Path file = scripts.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /**
   * Compressed by the tool the launcher decompresses with ({@code xz}, {@code zstd}), into {@code
   * name}.
   */
  private void compressed(String tool, String name, String content) throws IOException {
    Path plain = script(name + ".plain", content, "rw-r--r--");
    LauncherSandbox.run(
        List.of(
            "sh",
            "-c",
            tool + " -c \"$0\" > \"$1\" && rm \"$0\"",
            plain.toString(),
            scripts.resolve(name).toString()));
    Files.setPosixFilePermissions(
        scripts.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static int count(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  @Test
  void
      firstStartRunsEveryKindInCOrderWithoutTcpThenTheRealServerStartsAndNoLaterStartRunsThemAgain()
          throws IOException, SQLException {
    script(
        "01-schema.sql",
        "CREATE TABLE steps (id serial PRIMARY KEY, step text);\n" + String.format(LOG_STEP, "sql"),
        "rw-r--r--");
    // C order: upper case before lower case, '1' before '_' (so 03_last after 032)
    gzipped("02-Upper.sql.gz", String.format(LOG_STEP, "gz"));
    compressed("xz", "02-lower.sql.xz", String.format(LOG_STEP, "xz"));
    compressed("zstd", "03_last-sql.sql.zst", String.format(LOG_STEP, "zst"));
    script(
        "031-executed.sh",
        String.join(
            "\n",
            "#!/bin/bash",
            "set -e",
            "# a TCP connection must find nothing listening on the server's port while the scripts run",
            "if (exec 3<>/dev/tcp/127.0.0.1/\"$PGPORT\") 2>/dev/null; then tcp=listening; else tcp=closed; fi",
            "psql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" --dbname \"$POSTGRES_DB\" \\",
            "  -c \"INSERT INTO steps (step) VALUES ('executed as $(id -un), tcp $tcp')\"",
            ""),
        "rwxr-xr-x");
    script(
        "032-sourced.sh",
        String.join(
            "\n",
            "# not executable: sourced, with the official entrypoint's function and variables",
            "test -f \"$PGDATA/PG_VERSION\"",
            "docker_process_sql -c \"INSERT INTO steps (step) VALUES ('sourced by $POSTGRES_USER into $POSTGRES_DB')\"",
            ""),
        "rw-r--r--");
    script("README.txt", "not a script: ignored\n", "rw-r--r--");

    RunningLauncher first = sandbox.start(withScripts());
    first.awaitReady();

    String expected =
        "sql,gz,xz,executed as postgres, tcp closed,sourced by postgres into postgres,zst";
    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT string_agg(step, ',' ORDER BY id) FROM steps"))
          .isEqualTo(expected);
    }
    assertThat(count(first.output(), SERVER_READY))
        .as("ready lines of a first start; output:%n%s", first.output())
        .isEqualTo(2);
    assertThat(first.output()).contains("ignoring " + scripts.resolve("README.txt"));
    first.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    RunningLauncher second = sandbox.start(withScripts());
    second.awaitReady();
    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT string_agg(step, ',' ORDER BY id) FROM steps"))
          .isEqualTo(expected);
    }
    assertThat(count(second.output(), SERVER_READY)).isEqualTo(1);
    assertThat(second.output()).doesNotContain("init script");
    second.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void aFailingScriptFailsTheStartNamingItAndTheNextStartInitialisesAgain()
      throws IOException, SQLException {
    script(
        "01-schema.sql",
        "CREATE TABLE steps (id serial PRIMARY KEY, step text);\n" + String.format(LOG_STEP, "one"),
        "rw-r--r--");
    script("02-broken.sql", "SELECT 1/0;\nCREATE TABLE never_made (id int);\n", "rw-r--r--");

    RunningLauncher failed = sandbox.start(withScripts());
    int exitCode = failed.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode).as("exit code; output:%n%s", failed.output()).isEqualTo(1);
    assertThat(failed.output()).contains("02-broken.sql", "division by zero");
    assertThat(sandbox.data().resolve("PG_VERSION"))
        .as("a cluster whose scripts failed must not look complete")
        .doesNotExist();
    assertThat(sandbox.processesInside()).as("processes left in the sandbox").isEmpty();

    script("02-broken.sql", "SELECT 1;\n", "rw-r--r--");
    RunningLauncher next = sandbox.start(withScripts());
    next.awaitReady();
    try (Connection connection = sandbox.connect()) {
      // made again from scratch: the first script's table and row exist once
      assertThat(queryValue(connection, "SELECT string_agg(step, ',' ORDER BY id) FROM steps"))
          .isEqualTo("one");
      assertThat(
              queryValue(connection, "SELECT count(*) FROM pg_class WHERE relname = 'never_made'"))
          .isEqualTo("0");
    }
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
