package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.EnvironmentVariable;
import dev.pgcontainer.embedded.Features;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The start script decides without a JVM what the launcher would decide: its lists must be the
 * launcher's.
 */
class StartScriptTest {

  private static final Path SCRIPT = Path.of("src/main/dist/bin/pgcontainer");

  private static String script() throws IOException {
    return Files.readString(SCRIPT);
  }

  @Test
  void theScriptExecutesAsGivenExactlyWhatIsNotALauncherCommandNorAServerCommandLine()
      throws IOException {
    Matcher ours =
        Pattern.compile("case \"\\$\\{1:-}\" in\\n((?:.|\\n)*?)\\) ;;\\n  \\*\\) exec \"\\$@\" ;;")
            .matcher(script());
    assertThat(ours.find()).as("the case that executes other commands").isTrue();
    Set<String> words =
        Arrays.stream(ours.group(1).replace("\\\n", " ").split("\\|"))
            .map(String::trim)
            .collect(Collectors.toSet());

    Set<String> expected = new java.util.HashSet<>(Cli.COMMANDS);
    expected.addAll(List.of("\"\"", ServerOptions.SERVER_COMMAND, "-*"));
    assertThat(words).isEqualTo(expected);
  }

  @Test
  void theScriptHandsOverEveryVariableThatAcceptsAFile() throws IOException {
    Matcher handover = Pattern.compile("for name in ([A-Z_ ]+); do").matcher(script());
    assertThat(handover.find()).isTrue();

    assertThat(handover.group(1).split(" "))
        .containsExactlyInAnyOrder(
            Features.variables().stream()
                .filter(EnvironmentVariable::acceptsFile)
                .map(EnvironmentVariable::name)
                .toArray(String[]::new));
  }
}
