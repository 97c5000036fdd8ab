package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SuggestionsTest {

  @ParameterizedTest(name = "distance({0}, {1}) = {2}")
  @CsvSource({
    "'', '', 0",
    "abc, abc, 0",
    "'', abc, 3",
    "abc, '', 3",
    "abc, abd, 1",
    "abc, abcd, 1",
    "abcd, abc, 1",
    "kitten, sitting, 3",
    "ab, ba, 1",
    "workr, worker, 1",
    "PATRONI_ENALBE, PATRONI_ENABLE, 1",
    "POSTGRES_PASSWROD, POSTGRES_PASSWORD, 1",
    "abcdef, badcfe, 3",
    "INF0, INFO, 1",
    "Info, INFO, 3"
  })
  void distanceCountsInsertionsDeletionsSubstitutionsAndAdjacentTranspositions(
      String a, String b, int expected) {
    assertThat(Suggestions.distance(a, b)).isEqualTo(expected);
    assertThat(Suggestions.distance(b, a)).isEqualTo(expected);
  }

  static Stream<Arguments> closestCases() {
    List<String> roles = List.of("standalone", "coordinator", "worker");
    List<String> levels = List.of("DEBUG", "INFO", "WARN", "ERROR");
    List<String> variables =
        List.of("PATRONI_ENABLE", "PATRONI_SCOPE", "BACKUP_ENABLED", "CITUS_ENABLE");
    return Stream.of(
        Arguments.of("workr", roles, Optional.of("worker")),
        Arguments.of("WORKER", roles, Optional.of("worker")),
        Arguments.of("coordinater", roles, Optional.of("coordinator")),
        Arguments.of("INF0", levels, Optional.of("INFO")),
        Arguments.of("warm", levels, Optional.of("WARN")),
        Arguments.of("LOUD", levels, Optional.empty()),
        Arguments.of("PATRONI_ENABLED", variables, Optional.of("PATRONI_ENABLE")),
        Arguments.of("patroni_enalbe", variables, Optional.of("PATRONI_ENABLE")),
        Arguments.of("BACKUP_ENABLE", variables, Optional.of("BACKUP_ENABLED")),
        Arguments.of("CITUS_ENABLE_WORKERS", variables, Optional.empty()),
        Arguments.of("", roles, Optional.empty()));
  }

  @ParameterizedTest(name = "closest({0}) = {2}")
  @MethodSource("closestCases")
  void suggestsTheNearbyCandidateIgnoringCaseInItsOwnSpelling(
      String input, List<String> candidates, Optional<String> expected) {
    assertThat(Suggestions.closest(input, candidates)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // up to 5 characters: one edit
    "abd, true",
    "abxy, false",
    "abcdy, true",
    "abcxy, false",
    // 6 to 8 characters: two edits
    "abcdxy, true",
    "abcxyz, false",
    // longer: still at most two edits
    "abcdefghijklmnoxy, true",
    "abcdefghijklmnxyz, false"
  })
  void allowedDistanceGrowsWithLengthUpToTwo(String input, boolean suggested) {
    String candidate = "abcdefghijklmnopq".substring(0, input.length());

    assertThat(Suggestions.closest(input, List.of(candidate)).isPresent()).isEqualTo(suggested);
  }

  @ParameterizedTest
  @CsvSource({
    "abcdef, abcxyz, abcdex, abcdxy, abcdex",
    "coordinatr, coordinates, koordinator, coordinator, coordinator"
  })
  void nearestCandidateWins(
      String input, String first, String second, String third, String expected) {
    assertThat(Suggestions.closest(input, List.of(first, second, third))).contains(expected);
  }
}
