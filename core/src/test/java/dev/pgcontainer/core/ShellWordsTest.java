package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("", List.of()),
        Arguments.of("   \t ", List.of()),
        Arguments.of("--data-checksums", List.of("--data-checksums")),
        Arguments.of(
            "  --data-checksums   --no-locale  ", List.of("--data-checksums", "--no-locale")),
        Arguments.of("-E\tUTF8\n--no-locale", List.of("-E", "UTF8", "--no-locale")),
        Arguments.of("--locale='en_US.UTF-8'", List.of("--locale=en_US.UTF-8")),
        Arguments.of("--auth-local='peer map' -k", List.of("--auth-local=peer map", "-k")),
        Arguments.of("'a \"b\" c'", List.of("a \"b\" c")),
        Arguments.of("'no \\escape'", List.of("no \\escape")),
        Arguments.of("\"x y\"z", List.of("x yz")),
        Arguments.of("\"say \\\"hi\\\" \\\\ \\$HOME \\`\"", List.of("say \"hi\" \\ $HOME `")),
        Arguments.of("\"keep \\n\"", List.of("keep \\n")),
        Arguments.of("a\\ b c", List.of("a b", "c")),
        Arguments.of("\\'quoted\\'", List.of("'quoted'")),
        Arguments.of("'' \"\"", List.of("", "")),
        Arguments.of("trailing\\", List.of("trailing\\")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("splits")
  void splitsLikeAPosixShell(String input, List<String> expected) {
    assertThat(ShellWords.split(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--locale='en_US", "--locale=\"en_US", "'a' \"b", "\"it's\" 'open"})
  void unclosedQuoteIsRejected(String input) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShellWords.split(input))
        .withMessageContaining("unclosed");
  }
}
