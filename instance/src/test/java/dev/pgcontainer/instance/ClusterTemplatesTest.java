package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template is found for exactly the key it was made for: any argument, database or time zone
 * differs, none is.
 */
class ClusterTemplatesTest {

  private static final List<String> ARGUMENTS =
      List.of(
          "--username=postgres",
          "--auth-local=peer",
          "--auth-host=scram-sha-256",
          "--encoding=UTF8");

  @TempDir Path directory;

  @Test
  void theKeyChangesWithEverythingThatShapesWhatInitdbMakes() {
    String key = ClusterTemplates.key("15.20", ARGUMENTS, "postgres", Map.of());

    assertThat(key)
        .contains(
            "postgresql 15.20\n",
            "initdb --auth-host=scram-sha-256\n",
            "database postgres\n",
            "TZ (unset)\n",
            "/etc/localtime ");
    assertThat(
            List.of(
                ClusterTemplates.key("15.21", ARGUMENTS, "postgres", Map.of()),
                ClusterTemplates.key("15.20", ARGUMENTS.subList(0, 3), "postgres", Map.of()),
                ClusterTemplates.key(
                    "15.20",
                    List.of(
                        "--username=test",
                        "--auth-local=peer",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8"),
                    "postgres",
                    Map.of()),
                ClusterTemplates.key("15.20", ARGUMENTS, "test", Map.of()),
                ClusterTemplates.key("15.20", ARGUMENTS, "postgres", Map.of("TZ", "Europe/Berlin")),
                ClusterTemplates.key("15.20", ARGUMENTS, "postgres", Map.of("TZDIR", "/zones"))))
        .doesNotContain(key)
        .doesNotHaveDuplicates();
    assertThat(
            ClusterTemplates.key(
                "15.20", ARGUMENTS, "postgres", Map.of("PATH", "/bin", "LANG", "C.UTF-8")))
        .as("what initdb's --locale and --encoding override")
        .isEqualTo(key);
  }

  @Test
  void onlyTheArchiveOfTheSameKeyMatches() throws IOException {
    ClusterTemplates templates = ClusterTemplates.in(directory);
    String key = ClusterTemplates.key("15.20", ARGUMENTS, "postgres", Map.of());
    assertThat(templates.matching(key)).isEmpty();

    String name = "cluster-" + String.format("%08x", crc32c(key));
    Files.writeString(directory.resolve(name + ".key"), key);
    assertThat(templates.matching(key)).as("a key without its archive").isEmpty();
    Files.write(directory.resolve(name + ".tar.zst"), new byte[] {1});

    assertThat(templates.matching(key)).contains(directory.resolve(name + ".tar.zst"));
    assertThat(templates.matching(ClusterTemplates.key("15.20", ARGUMENTS, "test", Map.of())))
        .isEmpty();
    Files.writeString(directory.resolve(name + ".key"), key + "initdb --data-checksums\n");
    assertThat(templates.matching(key))
        .as("a key file of the same checksum but another text")
        .isEmpty();
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).hasSize(2);
    }
  }

  private static long crc32c(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** The start script unpacks a template while the JVM starts ({@link StagedUnpack}). */
  private static final Path START_SCRIPT = Path.of("../launcher-cli/src/main/dist/bin/pgcontainer");

  @Test
  void theStartScriptUnpacksATemplateWithTheLaunchersCommand() throws IOException {
    String script = Files.readString(START_SCRIPT);
    Matcher tar = Pattern.compile("<\\((tar (?:[^\\\\<]|\\\\\\n)*) </dev/null").matcher(script);
    assertThat(tar.find()).as("the start script's tar command").isTrue();

    assertThat(tar.group(1).replaceAll("\\\\\\n\\s*", "").split(" "))
        .containsExactlyElementsOf(
            ClusterTemplates.unpackCommand(
                Path.of("\"$archive\""),
                Path.of("\"$data/" + DataDirectory.INIT_DIRECTORY + "\"")));
    assertThat(script)
        .contains(
            "export "
                + StagedUnpack.ARCHIVE_VARIABLE
                + "=$staged "
                + StagedUnpack.PGDATA_VARIABLE
                + "=$data",
            "mkdir -m 0700 -- \"$data/" + DataDirectory.INIT_DIRECTORY + "\"");
  }

  @Test
  void theStartScriptPicksATemplateByLinesOfItsKey() throws IOException {
    String key = ClusterTemplates.key("15.20", ARGUMENTS, "postgres", Map.of());
    String script = Files.readString(START_SCRIPT);

    assertThat(key).contains("\ninitdb --username=postgres\n", "\ndatabase postgres\n");
    assertThat(script)
        .contains("\"initdb --username=$user\"$'\\n'", "\"database ${POSTGRES_DB:-$user}\"$'\\n'");
  }
}
