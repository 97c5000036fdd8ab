package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.configrender.WriteReport;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastRestartTest {

  private static final ProcessSpec SERVER =
      ProcessSpec.builder()
          .name("postgres")
          .command(
              "/usr/lib/postgresql/15/bin/postgres",
              "-D",
              "/data",
              "-c",
              "config_file=/config/pgcontainer.conf")
          .environment(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8"))
          .workingDirectory(Path.of("/"))
          .parentDeathSignal(PosixSignal.INT)
          .build();

  @TempDir Path config;

  @Test
  void recordHoldsTheFingerprintTheConfigurationListingAndTheServersLaunchOnlyToItsOwner()
      throws Exception {
    Files.writeString(config.resolve("pg_hba.conf"), "local all all peer\n");
    Files.writeString(config.resolve(".pgcontainer-accepted-settings"), "# memo\n");

    FastRestart.of(
            config, Map.of(FastRestart.FINGERPRINT_VARIABLE, "f1ng3rpr1nt"), Duration.ofSeconds(5))
        .remember(SERVER);

    Path record = config.resolve(FastRestart.FILE_NAME);
    assertThat(Files.getPosixFilePermissions(record))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<String> fields = List.of(Files.readString(record, StandardCharsets.UTF_8).split("\0"));
    assertThat(fields.subList(0, 2)).containsExactly("pgcontainer-fast-restart-1", "f1ng3rpr1nt");
    // as `sha256sum -- .pgcontainer-accepted-settings pg_hba.conf` lists them, without the
    // directory
    assertThat(fields.get(2))
        .matches("[0-9a-f]{64}  \\.pgcontainer-accepted-settings\n[0-9a-f]{64}  pg_hba\\.conf\n");
    assertThat(fields.subList(3, 7)).containsExactly("/", "2", "LANG=C.UTF-8", "PATH=/usr/bin");
    assertThat(fields.subList(7, fields.size())).isEqualTo(ManagedProcess.commandLine(SERVER));
  }

  @Test
  void withoutAFingerprintFromTheStartScriptNothingIsRecorded() {
    FastRestart.of(config, Map.of(), Duration.ofSeconds(5)).remember(SERVER);

    assertThat(config.resolve(FastRestart.FILE_NAME)).doesNotExist();
  }

  @Test
  void aServerTheScriptDidNotStartOrThatIsNoChildOfThisJvmIsNeverAdopted() {
    AtomicBoolean rendered = new AtomicBoolean();
    Map<String, String> notOurChild = Map.of(FastRestart.SERVER_PID_VARIABLE, "1");

    assertThat(
            FastRestart.of(config, Map.of(), Duration.ofSeconds(5))
                .adopt(
                    SERVER,
                    true,
                    () -> {
                      rendered.set(true);
                      return new WriteReport(List.of(), List.of());
                    }))
        .isEmpty();
    assertThat(
            FastRestart.of(config, notOurChild, Duration.ofSeconds(5))
                .adopt(
                    SERVER,
                    true,
                    () -> {
                      rendered.set(true);
                      return new WriteReport(List.of(), List.of());
                    }))
        .isEmpty();
    assertThat(rendered).as("no rendering for a server that is not adopted").isFalse();
  }
}
