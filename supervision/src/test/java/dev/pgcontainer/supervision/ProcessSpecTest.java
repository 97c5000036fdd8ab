package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.Secret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

  @Test
  void builderFillsDefaults() {
    ProcessSpec spec =
        ProcessSpec.builder().name("postgres").command("postgres", "-D", "/data").build();

    assertThat(spec.command()).containsExactly("postgres", "-D", "/data");
    assertThat(spec.environment()).isEmpty();
    assertThat(spec.workingDirectory()).isEmpty();
    assertThat(spec.runAs()).isEmpty();
    assertThat(spec.stdin()).isEmpty();
    assertThat(spec.keptOutputLines()).isEqualTo(50);
  }

  @Test
  void builderSetsEveryField() {
    ProcessSpec spec =
        ProcessSpec.builder()
            .name("initdb")
            .command(List.of("initdb"))
            .environment(Map.of("PATH", "/bin"))
            .putEnvironment("LANG", "C.UTF-8")
            .workingDirectory(Path.of("/tmp"))
            .runAs("postgres")
            .stdin(Secret.of("pw"))
            .keptOutputLines(7)
            .build();

    assertThat(spec.environment())
        .containsExactly(Map.entry("LANG", "C.UTF-8"), Map.entry("PATH", "/bin"));
    assertThat(spec.workingDirectory()).contains(Path.of("/tmp"));
    assertThat(spec.runAs()).contains("postgres");
    assertThat(spec.stdin().map(Secret::reveal)).contains("pw");
    assertThat(spec.keptOutputLines()).isEqualTo(7);
  }

  @Test
  void specIsImmutableAndIndependentOfItsInputs() {
    Map<String, String> environment = new HashMap<>(Map.of("A", "1"));
    ProcessSpec spec =
        ProcessSpec.builder().name("x").command("true").environment(environment).build();
    environment.put("B", "2");

    assertThat(spec.environment()).containsOnlyKeys("A");
    assertThatThrownBy(() -> spec.environment().put("C", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> spec.command().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsMissingNameOrCommand() {
    assertThatThrownBy(() -> ProcessSpec.builder().command("true").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> ProcessSpec.builder().name(" ").command("true").build())
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> ProcessSpec.builder().name("x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x: the command needs at least a program");
  }

  @Test
  void rejectsProgramsThatEnvWouldMistakeForAssignments() {
    assertThatThrownBy(() -> ProcessSpec.builder().name("x").command("A=B", "true").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain '='");
  }

  @Test
  void rejectsNulCharactersAndBadVariableNames() {
    assertThatThrownBy(() -> ProcessSpec.builder().name("x").command("echo", "a\0b").build())
        .hasMessageContaining("NUL");
    assertThatThrownBy(
            () ->
                ProcessSpec.builder().name("x").command("true").putEnvironment("A=B", "1").build())
        .hasMessageContaining("invalid environment variable name 'A=B'");
    assertThatThrownBy(
            () -> ProcessSpec.builder().name("x").command("true").putEnvironment("", "1").build())
        .hasMessageContaining("invalid environment variable name");
    assertThatThrownBy(
            () -> ProcessSpec.builder().name("x").command("true").putEnvironment("A", "\0").build())
        .hasMessageContaining("A contains a NUL");
  }

  @Test
  void rejectsBlankUserAndTooFewKeptLines() {
    assertThatThrownBy(() -> ProcessSpec.builder().name("x").command("true").runAs("").build())
        .hasMessageContaining("runAs must name a user");
    assertThatThrownBy(
            () -> ProcessSpec.builder().name("x").command("true").keptOutputLines(0).build())
        .hasMessageContaining("keptOutputLines must be at least 1, not 0");
  }

  @Test
  void toStringShowsNoEnvironmentValuesAndNoStdin() {
    ProcessSpec spec =
        ProcessSpec.builder()
            .name("psql")
            .command("psql")
            .putEnvironment("SOME_TOKEN", "tok-value")
            .stdin(Secret.of("hunter2"))
            .build();

    assertThat(spec.toString())
        .contains("SOME_TOKEN", "<redacted>", "psql")
        .doesNotContain("tok-value")
        .doesNotContain("hunter2");
  }

  @Test
  void inheritableEnvironmentKeepsPathLocaleAndTimeZoneOnly() {
    Map<String, String> parent =
        Map.of(
            "PATH", "/usr/bin",
            "LANG", "C.UTF-8",
            "LC_ALL", "C",
            "LC_MESSAGES", "en_US",
            "TZ", "UTC",
            "HOME", "/root",
            "USER", "root",
            "PGPASSWORD", "secret",
            "POSTGRES_PASSWORD", "secret");

    assertThat(ProcessSpec.inheritableEnvironment(parent))
        .containsOnlyKeys("PATH", "LANG", "LC_ALL", "LC_MESSAGES", "TZ");
  }
}
