package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfficialDataPathTest {

  private static final String ROOT = "22 1 0:44 / / rw,relatime - overlay overlay rw\n";
  private static final String VOLUME =
      "35 22 8:1 /var/lib/containers/storage/volumes/pgdata/_data /var/lib/postgresql/data rw,relatime master:1"
          + " - ext4 /dev/sda1 rw\n";

  @TempDir Path directory;

  private Path mountinfo(String content) throws IOException {
    return Files.writeString(directory.resolve("mountinfo"), content);
  }

  @Test
  void aVolumeAtTheOfficialPathBecomesPgdataWhenPgdataIsNotSet() throws IOException {
    Path mountinfo = mountinfo(ROOT + VOLUME);

    assertThat(OfficialDataPath.applied(Map.of("POSTGRES_PASSWORD", "x"), mountinfo))
        .containsEntry("PGDATA", "/var/lib/postgresql/data")
        .containsEntry("POSTGRES_PASSWORD", "x");
    assertThat(OfficialDataPath.applied(Map.of("PGDATA", ""), mountinfo))
        .containsEntry("PGDATA", "/var/lib/postgresql/data");
  }

  @Test
  void aGivenPgdataWins() throws IOException {
    Map<String, String> env = Map.of("PGDATA", "/data/pg");

    assertThat(OfficialDataPath.applied(env, mountinfo(ROOT + VOLUME))).isSameAs(env);
  }

  @Test
  void withoutAMountThereTheDefaultStays() throws IOException {
    Map<String, String> env = Map.of();

    assertThat(
            OfficialDataPath.applied(
                env,
                mountinfo(
                    ROOT
                        + "36 22 8:1 /x /var/lib/postgresql rw - ext4 /dev/sda1 rw\n"
                        + "37 22 8:1 /x /var/lib/postgresql/data/sub rw - ext4 /dev/sda1 rw\n")))
        .isSameAs(env);
    assertThat(OfficialDataPath.applied(env, directory.resolve("missing"))).isSameAs(env);
  }

  @Test
  void mountPointsWithEscapedCharactersAreRead() throws IOException {
    Path mountinfo = mountinfo("40 22 8:1 / /srv/my\\040data rw - ext4 /dev/sda1 rw\n");

    assertThat(OfficialDataPath.isMountPoint("/srv/my data", mountinfo)).isTrue();
    assertThat(OfficialDataPath.isMountPoint("/srv/my\\040data", mountinfo)).isFalse();
  }
}
