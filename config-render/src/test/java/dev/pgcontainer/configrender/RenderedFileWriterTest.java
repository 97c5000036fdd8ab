package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderedFileWriterTest {

  @TempDir Path temp;

  private ConfigLayout layout() {
    return new ConfigLayout(temp.resolve("config"));
  }

  @Test
  void writesEachFileWithItsModeAndLeavesNoTemporaryFileBehind() throws IOException {
    ConfigLayout layout = layout();
    RenderedFile hba = RenderedFile.config(layout.hbaFile(), "local all all peer\n");
    RenderedFile secret =
        RenderedFile.secret(layout.directory().resolve("pgpass"), "*:*:*:u:p😀\n");

    WriteReport report = RenderedFileWriter.of(layout).write(List.of(hba, secret));

    assertThat(report.changed()).containsExactly(hba.path(), secret.path());
    assertThat(report.unchanged()).isEmpty();
    assertThat(report.anyChanged()).isTrue();
    assertThat(Files.readString(hba.path())).isEqualTo("local all all peer\n");
    assertThat(Files.readString(secret.path())).isEqualTo("*:*:*:u:p😀\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hba.path())))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.path())))
        .isEqualTo("rw-------");
    assertThat(fileNamesIn(layout.directory())).containsExactlyInAnyOrder("pg_hba.conf", "pgpass");
  }

  @Test
  void createsMissingParentDirectories() throws IOException {
    Path nested = temp.resolve("a/b/c/pgbackrest.conf");

    RenderedFileWriter.of(layout()).write(List.of(RenderedFile.secret(nested, "[global]\n")));

    assertThat(Files.readString(nested)).isEqualTo("[global]\n");
  }

  @Test
  void leavesAFileThatIsAlreadyExactlyAsRenderedUntouched() throws IOException {
    RenderedFileWriter writer = RenderedFileWriter.of(layout());
    RenderedFile hba = RenderedFile.config(layout().hbaFile(), "local all all peer\n");
    writer.write(List.of(hba));
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(hba.path(), old);
    Object inode = Files.readAttributes(hba.path(), PosixFileAttributes.class).fileKey();

    WriteReport report = writer.write(List.of(hba));

    assertThat(report.unchanged()).containsExactly(hba.path());
    assertThat(report.anyChanged()).isFalse();
    assertThat(Files.getLastModifiedTime(hba.path())).isEqualTo(old);
    assertThat(Files.readAttributes(hba.path(), PosixFileAttributes.class).fileKey())
        .isEqualTo(inode);
  }

  @Test
  void rewritesAFileWhoseContentOrModeDiffers() throws IOException {
    RenderedFileWriter writer = RenderedFileWriter.of(layout());
    Path path = layout().hbaFile();
    writer.write(List.of(RenderedFile.config(path, "old\n")));

    WriteReport newContent = writer.write(List.of(RenderedFile.config(path, "new\n")));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
    WriteReport repairedMode = writer.write(List.of(RenderedFile.config(path, "new\n")));

    assertThat(newContent.changed()).containsExactly(path);
    assertThat(repairedMode.changed()).containsExactly(path);
    assertThat(Files.readString(path)).isEqualTo("new\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void refusesTheUsersPostgresqlConfAndThenWritesNothingAtAll() throws IOException {
    ConfigLayout layout = layout();
    Files.createDirectories(layout.directory());
    Files.writeString(layout.userConfigFile(), "shared_buffers = '1GB'\n");
    List<RenderedFile> batch =
        List.of(
            RenderedFile.config(layout.hbaFile(), "local all all peer\n"),
            RenderedFile.config(layout.directory().resolve("./postgresql.conf"), "overwritten\n"));

    assertThatThrownBy(() -> RenderedFileWriter.of(layout).write(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user's own configuration file");
    assertThat(Files.readString(layout.userConfigFile())).isEqualTo("shared_buffers = '1GB'\n");
    assertThat(fileNamesIn(layout.directory())).containsExactly("postgresql.conf");
  }

  @Test
  void writingTheRenderedFilesLeavesTheUsersPostgresqlConfAlone() throws IOException {
    ConfigLayout layout = layout();
    Files.createDirectories(layout.directory());
    Files.writeString(layout.userConfigFile(), "work_mem = '64MB'\n");
    FileTime before = Files.getLastModifiedTime(layout.userConfigFile());
    Settings settings =
        Settings.fromEnvironment(
            Map.of(
                "PGCONFIG",
                layout.directory().toString(),
                "POSTGRES_PASSWORD",
                "x",
                "HOSTNAME",
                "h"));

    RenderedFileWriter.of(layout)
        .write(ConfigRenderer.withDefaultTemplates().render(RenderInput.of(settings, "postgres")));

    assertThat(Files.readString(layout.userConfigFile())).isEqualTo("work_mem = '64MB'\n");
    assertThat(Files.getLastModifiedTime(layout.userConfigFile())).isEqualTo(before);
    assertThat(fileNamesIn(layout.directory()))
        .containsExactlyInAnyOrder(
            "postgresql.conf",
            "pgcontainer.conf",
            "pgcontainer-env.conf",
            "pg_hba.conf",
            "pg_ident.conf");
  }

  @Test
  void aReaderSeesTheOldOrTheNewFileButNeverAPartOfOne() throws Exception {
    Path path = layout().hbaFile();
    String a = "a".repeat(1 << 18);
    String b = "b".repeat((1 << 18) + 7);
    RenderedFileWriter writer = RenderedFileWriter.of(layout());
    writer.write(List.of(RenderedFile.config(path, a)));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean done = new AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  String content = Files.readString(path);
                  seen.add(
                      content.equals(a)
                          ? "a"
                          : content.equals(b) ? "b" : "torn: " + content.length());
                } catch (NoSuchFileException e) {
                  seen.add("missing");
                } catch (IOException e) {
                  seen.add(e.toString());
                }
              }
            });
    reader.start();
    for (int i = 0; i < 40; i++) {
      writer.write(List.of(RenderedFile.config(path, i % 2 == 0 ? b : a)));
    }
    done.set(true);
    reader.join();

    assertThat(seen).isSubsetOf("a", "b").isNotEmpty();
    assertThat(fileNamesIn(layout().directory())).containsExactly("pg_hba.conf");
  }

  @Test
  void aFileThatCannotBeWrittenIsReportedWithWhatToCheck() throws IOException {
    Path notADirectory = temp.resolve("plain-file");
    Files.writeString(notADirectory, "");
    RenderedFile impossible = RenderedFile.config(notADirectory.resolve("pg_hba.conf"), "x\n");

    assertThatThrownBy(() -> RenderedFileWriter.of(layout()).write(List.of(impossible)))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining(impossible.path().toString())
        .hasMessageContaining("write access");
  }

  @Test
  void anUnknownOwnerIsReportedByName() {
    assertThatThrownBy(
            () ->
                RenderedFileWriter.of(layout()).withOwner("no-such-user-4711", "no-such-user-4711"))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("no-such-user-4711");
  }

  @Test
  void givesFilesToTheOwnerAndRewritesThemWhenTheOwnerDiffers() throws IOException {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "only root may give files to another user");
    Path path = layout().hbaFile();
    RenderedFile hba = RenderedFile.config(path, "local all all peer\n");
    RenderedFileWriter.of(layout()).write(List.of(hba));

    WriteReport report =
        RenderedFileWriter.of(layout()).withOwner("postgres", "postgres").write(List.of(hba));

    assertThat(report.changed()).containsExactly(path);
    PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
    assertThat(attributes.owner().getName()).isEqualTo("postgres");
    assertThat(attributes.group().getName()).isEqualTo("postgres");
  }

  private static List<String> fileNamesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
