package dev.pgcontainer.launchercli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bad environments of {@code bad-input/corpus.txt} (its head says the format): each case's
 * changes to a base environment, the files it needs and the problems it must be refused with.
 */
final class BadInputCorpus {

  private static final String RESOURCE = "/bad-input/corpus.txt";
  private static final Pattern REPEAT = Pattern.compile("\\$\\{REPEAT:(\\d+):([^}]*)}");

  /** One expected problem: about {@code variable}, its line holding {@code text} (may be empty). */
  record ExpectedProblem(String variable, String text) {

    /** Whether {@code line} (a problem as the CLI prints it, without the " - ") is this problem. */
    boolean matches(String line) {
      return (line.startsWith(variable + "=") || line.startsWith(variable + ":"))
          && line.contains(text);
    }

    @Override
    public String toString() {
      return text.isEmpty() ? variable : variable + ": " + text;
    }
  }

  /**
   * One case, as written: {@code set} and {@code files} still hold their escapes and placeholders
   * ({@link #environment}, {@link #writeFiles} expand them for a sandbox).
   */
  record Case(
      String name,
      Map<String, String> set,
      List<String> unset,
      Map<String, String> files,
      boolean existingCluster,
      int exitCode,
      List<ExpectedProblem> problems) {

    /**
     * {@code base} with this case's variables set and unset, {@code ${ROOT}} standing for {@code
     * root}.
     */
    Map<String, String> environment(Map<String, String> base, Path root) {
      Map<String, String> env = new LinkedHashMap<>(base);
      unset.forEach(env::remove);
      set.forEach((name, value) -> env.put(expand(name, root), expand(value, root)));
      return env;
    }

    void writeFiles(Path root) {
      files.forEach(
          (name, content) -> {
            try {
              Files.writeString(root.resolve(name), expand(content, root), StandardCharsets.UTF_8);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private BadInputCorpus() {}

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    CaseBuilder current = null;
    for (String rawLine : resource().split("\n", -1)) {
      String line = rawLine.stripTrailing();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        if (current != null) {
          cases.add(current.build());
        }
        current = new CaseBuilder(line.substring(1, line.length() - 1));
        continue;
      }
      if (current == null) {
        throw new IllegalStateException("corpus line before the first [case]: " + line);
      }
      current.add(line);
    }
    if (current != null) {
      cases.add(current.build());
    }
    return cases;
  }

  /**
   * {@code text} with {@code ${ROOT}}, {@code ${REPEAT:N:TEXT}} and the backslash escapes expanded.
   */
  static String expand(String text, Path root) {
    String placed = text.replace("${ROOT}", root.toString());
    Matcher repeat = REPEAT.matcher(placed);
    StringBuilder repeated = new StringBuilder();
    while (repeat.find()) {
      repeat.appendReplacement(
          repeated,
          Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
    }
    repeat.appendTail(repeated);
    return unescape(repeated.toString());
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case '\\' -> out.append('\\');
        case 'x' -> {
          out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> out.append('\\').append(next);
      }
    }
    return out.toString();
  }

  private static String resource() {
    try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class CaseBuilder {
    private final String name;
    private final Map<String, String> set = new LinkedHashMap<>();
    private final List<String> unset = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<ExpectedProblem> problems = new ArrayList<>();
    private boolean existingCluster;
    private int exitCode = ExitCode.CONFIGURATION;

    CaseBuilder(String name) {
      this.name = name;
    }

    void add(String line) {
      int space = line.indexOf(' ');
      String keyword = space < 0 ? line : line.substring(0, space);
      String rest = space < 0 ? "" : line.substring(space + 1);
      switch (keyword) {
        case "set" -> {
          int equals = rest.indexOf('=');
          set.put(rest.substring(0, equals), rest.substring(equals + 1));
        }
        case "unset" -> unset.add(rest);
        case "file" -> {
          int separator = rest.indexOf(' ');
          files.put(rest.substring(0, separator), rest.substring(separator + 1));
        }
        case "cluster" -> existingCluster = rest.equals("existing");
        case "exit" -> exitCode = Integer.parseInt(rest);
        case "problem" -> {
          int colon = rest.indexOf(": ");
          // as the CLI prints it: a control character in the name stays escaped
          problems.add(
              colon < 0
                  ? new ExpectedProblem(rest, "")
                  : new ExpectedProblem(rest.substring(0, colon), rest.substring(colon + 2)));
        }
        default ->
            throw new IllegalStateException("corpus case '" + name + "': unknown line: " + line);
      }
    }

    Case build() {
      if (problems.isEmpty() && exitCode == ExitCode.CONFIGURATION) {
        throw new IllegalStateException("corpus case '" + name + "' names no problem");
      }
      return new Case(
          name,
          Map.copyOf(set),
          List.copyOf(unset),
          Map.copyOf(files),
          existingCluster,
          exitCode,
          List.copyOf(problems));
    }
  }
}
