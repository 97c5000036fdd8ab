package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitScriptsTest {

  @TempDir Path directory;

  private void touch(String... names) throws IOException {
    for (String name : names) {
      Files.writeString(directory.resolve(name), "");
    }
  }

  @Test
  void scriptsRunInTheCLocalesOrderOfTheirNames() throws IOException {
    touch("b.sql", "B.sql", "_c.sh", "10-x.sql.gz", "9-y.sql.zst", "a-é.sql.xz", "a-z.sql");

    assertThat(InitScripts.in(directory).scripts())
        .extracting(path -> path.getFileName().toString())
        .containsExactly(
            "10-x.sql.gz", "9-y.sql.zst", "B.sql", "_c.sh", "a-z.sql", "a-é.sql.xz", "b.sql");
  }

  @Test
  void onlyScriptFilesRun() throws IOException {
    touch("README.md", "dump.sql.bz2", "schema.sql", "notes.sh.txt");
    Files.createDirectory(directory.resolve("nested.sql"));

    assertThat(InitScripts.in(directory).scripts())
        .extracting(path -> path.getFileName().toString())
        .containsExactly("schema.sql");
  }

  @Test
  void aMissingDirectoryHoldsNone() {
    assertThat(InitScripts.in(directory.resolve("missing")).scripts()).isEmpty();
  }

  @Test
  void anUnreadableDirectoryIsAnErrorThatNamesIt() throws IOException {
    Path file = Files.writeString(directory.resolve("not-a-directory"), "");

    assertThatThrownBy(() -> InitScripts.in(file).scripts())
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining(file.toString());
  }
}
