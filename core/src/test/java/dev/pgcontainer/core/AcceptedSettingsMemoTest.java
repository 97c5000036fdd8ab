package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.ServerProbe.ConfigFileVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptedSettingsMemoTest {

  private static final List<String> SETTINGS = List.of("shared_buffers = '128MB'", "port = '5433'");

  @TempDir Path directory;
  private Path binary;
  private final CountingServer server = new CountingServer();

  @BeforeEach
  void aServerBinary() throws IOException {
    binary = Files.writeString(directory.resolve("postgres"), "a binary");
  }

  @Test
  void settingsTheServerAcceptedAreNotJudgedAgainBySameBinary() {
    assertThat(judgeAndRemember(memo(), SETTINGS).exitCode()).isZero();
    assertThat(judgeAndRemember(memo(), SETTINGS).exitCode()).isZero();

    assertThat(server.judged).containsExactly(SETTINGS);
  }

  @Test
  void changedSettingsAreJudged() {
    judgeAndRemember(memo(), SETTINGS);

    judgeAndRemember(memo(), List.of("shared_buffers = '256MB'", "port = '5433'"));

    assertThat(server.judged).hasSize(2);
  }

  @Test
  void anotherBinaryJudgesAgain() throws IOException {
    judgeAndRemember(memo(), SETTINGS);
    Files.setLastModifiedTime(binary, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

    judgeAndRemember(memo(), SETTINGS);

    assertThat(server.judged).hasSize(2);
  }

  @Test
  void aRejectionIsNeverRememberedSoItsProblemsAreReportedEveryTime() {
    server.exitCode = 1;

    assertThat(judgeAndRemember(memo(), SETTINGS).log()).contains("invalid value");
    assertThat(judgeAndRemember(memo(), SETTINGS).log()).contains("invalid value");

    assertThat(server.judged).hasSize(2);
    assertThat(directory.resolve(AcceptedSettingsMemo.FILE_NAME)).doesNotExist();
  }

  @Test
  void theMemoIsReadableByItsOwnerOnlyAndWrittenOnlyIntoAnExistingDirectory() throws IOException {
    judgeAndRemember(memo(), SETTINGS);
    judgeAndRemember(
        AcceptedSettingsMemo.wrapping(server, binary, directory.resolve("missing")), SETTINGS);

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve(AcceptedSettingsMemo.FILE_NAME))))
        .isEqualTo("rw-------");
    assertThat(directory.resolve("missing")).doesNotExist();
  }

  @Test
  void anAcceptanceIsWrittenDownOnlyWhenTheWholeConfigurationIsValid() {
    AcceptedSettingsMemo memo = memo();

    assertThat(memo.readConfigFile(SETTINGS).exitCode()).isZero();

    assertThat(directory.resolve(AcceptedSettingsMemo.FILE_NAME)).doesNotExist();
    memo.rememberAccepted();
    assertThat(directory.resolve(AcceptedSettingsMemo.FILE_NAME)).exists();
  }

  /**
   * What the launcher does with a valid configuration: the server judges, then the acceptance is
   * written down.
   */
  private static ServerProbe.ConfigFileVerdict judgeAndRemember(
      AcceptedSettingsMemo memo, List<String> lines) {
    ServerProbe.ConfigFileVerdict verdict = memo.readConfigFile(lines);
    memo.rememberAccepted();
    return verdict;
  }

  private AcceptedSettingsMemo memo() {
    return AcceptedSettingsMemo.wrapping(server, binary, directory);
  }

  private static final class CountingServer implements ServerProbe {
    final List<List<String>> judged = new ArrayList<>();
    int exitCode;

    @Override
    public String describeConfig() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ConfigFileVerdict readConfigFile(List<String> lines) {
      judged.add(lines);
      return new ConfigFileVerdict(
          exitCode, exitCode == 0 ? "" : "invalid value for parameter \"port\"");
    }
  }
}
