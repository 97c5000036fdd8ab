package dev.pgcontainer.configrender;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Setting values and names that are hard to quote: shared by the unit tests and the server IT. */
final class TrickyValues {

  /** Pieces that stress a quoting rule, concatenated at random. */
  private static final List<String> FRAGMENTS =
      List.of(
          "'",
          "''",
          "\\",
          "\\\\",
          "\n",
          "\r",
          "\t",
          "\r\n",
          "\b",
          "\f",
          "\u0001",
          "\u001b",
          "\u001f",
          "\u007f",
          "#",
          "=",
          " ",
          "  ",
          "\"",
          "\"\"",
          ",",
          "$",
          "%m",
          "0",
          "7",
          "8",
          "101",
          "n",
          "x",
          "abc",
          "include",
          "é",
          "e\u0301",
          "a\u0308\u0323",
          "😀",
          "👩‍👩‍👧",
          "日本語",
          "\u00a0",
          "\u2028",
          "\ufeff",
          "\ufffd",
          "+",
          "@",
          "/",
          "all");

  /** Hand-picked values, each about one rule. */
  static final List<String> CURATED =
      List.of(
          "",
          " ",
          "  leading",
          "trailing  ",
          "it's",
          "'",
          "''",
          "back\\slash",
          "\\",
          "\\n is not a newline",
          "\\101 is not an A",
          "line1\nline2",
          "\n",
          "tab\there",
          "cr\rlf\r\n",
          "\u0001\u00025",
          "\u007f",
          "#not a comment",
          "a = b",
          "'; shared_buffers = '1GB",
          "😀 e\u0301 👩‍👩‍👧",
          "日本語のテキスト",
          "%m [%p] %q%u@%d ");

  private TrickyValues() {}

  /** {@code count} values made of 0 to 8 random fragments, the same for the same seed. */
  static List<String> generated(long seed, int count) {
    return generated(seed, count, FRAGMENTS);
  }

  /**
   * As {@link #generated(long, int)}, with the fragments a setting may hold: the launcher refuses
   * control characters other than tab in {@code POSTGRESQL_*} values (the quoting tests still take
   * them all).
   */
  static List<String> settable(long seed, int count) {
    return generated(seed, count, FRAGMENTS.stream().filter(TrickyValues::settable).toList());
  }

  /**
   * Curated values first, then {@code generatedCount} generated ones, only those a setting may
   * hold.
   */
  static List<String> allSettable(long seed, int generatedCount) {
    List<String> values = new ArrayList<>(CURATED.stream().filter(TrickyValues::settable).toList());
    values.addAll(settable(seed, generatedCount));
    return values;
  }

  private static boolean settable(String value) {
    return value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f));
  }

  private static List<String> generated(long seed, int count, List<String> fragments) {
    Random random = new Random(seed);
    List<String> values = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      StringBuilder value = new StringBuilder();
      int pieces = random.nextInt(9);
      for (int p = 0; p < pieces; p++) {
        value.append(fragments.get(random.nextInt(fragments.size())));
      }
      values.add(value.toString());
    }
    return values;
  }

  /** Curated values first, then {@code generatedCount} generated ones. */
  static List<String> all(long seed, int generatedCount) {
    List<String> values = new ArrayList<>(CURATED);
    values.addAll(generated(seed, generatedCount));
    return values;
  }
}
