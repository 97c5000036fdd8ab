package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real server reads back exactly the value {@link PostgresqlConf#quote(String)} wrote. */
class PostgresqlConfIT {

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cp %p /archive/%f",
        "it's",
        "C:\\temp\\101",
        "two\nlines",
        "carriage\r\nreturn",
        "tab\there",
        "\"$user\", public",
        "ünïcödé",
        "back\\'slash then quote",
        "ends with a backslash\\",
        "''",
        ""
      })
  void serverReadsBackTheQuotedValue(String value) throws IOException {
    Path configFile = directory.resolve("postgresql.conf");
    Files.writeString(
        configFile, PostgresqlConf.line("archive_command", value) + "\n", StandardCharsets.UTF_8);

    ShortCommand.Result result =
        ShortCommand.run(
            List.of(
                ServerBinaries.binary("postgres").toString(),
                "-C",
                "archive_command",
                "-D",
                directory.toString(),
                "-c",
                "config_file=" + configFile),
            Map.of("LC_ALL", "C"));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEqualTo(value + "\n");
  }
}
