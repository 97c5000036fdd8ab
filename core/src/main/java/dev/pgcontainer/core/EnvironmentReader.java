package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads single values of the environment map, each with its default, its form and its problem: a
 * value with a problem is reported and read as a harmless stand-in (or as empty, by the {@code
 * valid...} readers), so that reading goes on and every problem is reported at once. {@link
 * SettingsLoader} and the rule sets per feature read through one reader and add their own problems
 * and warnings to it.
 */
public final class EnvironmentReader {

  private static final Pattern HOST_PORT =
      Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})$");
  private static final Pattern DECIMAL = Pattern.compile("^[0-9]+$");
  private static final int MAX_IDENTIFIER_BYTES = 63;
  private static final String RESERVED_ROLE_PREFIX = "pg_";

  private final Map<String, String> env;
  private final List<ConfigurationProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  EnvironmentReader(Map<String, String> env) {
    this.env = env;
  }

  Map<String, String> environment() {
    return env;
  }

  public void problem(ConfigurationProblem problem) {
    problems.add(problem);
  }

  public void warn(String warning) {
    warnings.add(warning);
  }

  List<String> warnings() {
    return warnings;
  }

  /** Fails with every problem reported so far, if any. */
  void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** Whether a problem about {@code variable} (or its {@code _FILE} twin) is already reported. */
  public boolean reported(String variable) {
    String base =
        variable.endsWith(Variable.FILE_SUFFIX)
            ? variable.substring(0, variable.length() - Variable.FILE_SUFFIX.length())
            : variable;
    for (ConfigurationProblem problem : problems) {
      if (problem.variable().equals(base)
          || problem.variable().equals(base + Variable.FILE_SUFFIX)) {
        return true;
      }
    }
    return false;
  }

  /** The raw value, or the variable's default when unset; empty string when it has none. */
  public String text(EnvironmentVariable variable) {
    String value = env.get(variable.name());
    return value != null ? value : variable.defaultValue().orElse("");
  }

  /** The value when set to something other than blank, else empty (no default). */
  public Optional<String> optional(EnvironmentVariable variable) {
    String value = env.get(variable.name());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String nonBlank(EnvironmentVariable variable) {
    String value = text(variable).trim();
    if (value.isEmpty()) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "must not be empty (default " + variable.defaultValue().orElse("none") + ")"));
    }
    return value;
  }

  /** A value that may also come from {@code X_FILE}; setting both is an error. */
  public Optional<String> textOrFile(EnvironmentVariable variable) {
    String fileVariable = variable.name() + Variable.FILE_SUFFIX;
    String direct = env.get(variable.name());
    String file = env.get(fileVariable);
    if (direct != null && file != null) {
      problems.add(
          new ConfigurationProblem(
              variable.name(),
              Optional.empty(),
              "both " + variable.name() + " and " + fileVariable + " are set: keep only one"));
      return Optional.empty();
    }
    if (file != null) {
      return readValueFile(fileVariable, file, variable.isSecret());
    }
    return direct == null ? variable.defaultValue() : Optional.of(direct);
  }

  public Optional<Secret> secret(EnvironmentVariable variable) {
    Optional<String> value = textOrFile(variable);
    return value.isPresent() && !value.get().isEmpty()
        ? Optional.of(Secret.of(value.get()))
        : Optional.empty();
  }

  private Optional<String> readValueFile(String fileVariable, String location, boolean secret) {
    Path path = Path.of(location);
    try {
      return Optional.of(Variable.valueOfFile(Files.readString(path, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      // The exception text may only hold the path, never the content, so it is safe to show.
      problems.add(
          ConfigurationProblem.of(
              fileVariable,
              location,
              "cannot read the file ("
                  + e.getClass().getSimpleName()
                  + "): mount it readable by the launcher"
                  + (secret ? " (e.g. a Docker/Kubernetes secret)" : "")));
      return Optional.empty();
    }
  }

  /**
   * Exactly {@code true} or {@code false} in any case: a space around it is a problem, as any other
   * spelling.
   */
  public boolean bool(EnvironmentVariable variable) {
    String value = text(variable);
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (!value.equalsIgnoreCase("false")) {
      boolean spaced =
          value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false");
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "must be true or false" + (spaced ? ", without spaces around it" : "")));
    }
    return false;
  }

  /**
   * {@code variable}'s value (or default) as one of {@code type}'s constants, any case, '-' for
   * '_'; else empty.
   */
  public static <E extends Enum<E>> Optional<E> parseChoice(
      Map<String, String> env, EnvironmentVariable variable, Class<E> type) {
    String value = env.getOrDefault(variable.name(), variable.defaultValue().orElse(""));
    String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(normalised)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }

  public <E extends Enum<E>> E choice(EnvironmentVariable variable, Class<E> type, E fallback) {
    return choice(variable, type, List.of(type.getEnumConstants()), fallback);
  }

  /**
   * As {@link #choice(Variable, Class, Enum)}, where only {@code acceptedConstants} are accepted.
   */
  public <E extends Enum<E>> E choice(
      EnvironmentVariable variable, Class<E> type, List<E> acceptedConstants, E fallback) {
    return validChoice(variable, type, acceptedConstants).orElse(fallback);
  }

  /** As {@link #choice(Variable, Class, Enum)}, empty after reporting a problem. */
  public <E extends Enum<E>> Optional<E> validChoice(EnvironmentVariable variable, Class<E> type) {
    return validChoice(variable, type, List.of(type.getEnumConstants()));
  }

  private <E extends Enum<E>> Optional<E> validChoice(
      EnvironmentVariable variable, Class<E> type, List<E> acceptedConstants) {
    Optional<E> parsed = parseChoice(env, variable, type);
    if (parsed.isPresent() && acceptedConstants.contains(parsed.get())) {
      return parsed;
    }
    String value = text(variable).trim();
    List<String> accepted =
        acceptedConstants.stream().map(e -> displayName(variable, e)).collect(Collectors.toList());
    String message = "must be one of " + String.join(", ", accepted);
    Optional<String> suggestion = Suggestions.closest(value, accepted);
    problems.add(
        ConfigurationProblem.of(
            variable.name(),
            value,
            message + suggestion.map(s -> " (did you mean " + s + "?)").orElse("")));
    return Optional.empty();
  }

  /**
   * How the spec writes an enum value: upper case for log levels, lower case with dashes elsewhere.
   */
  private static String displayName(EnvironmentVariable variable, Enum<?> constant) {
    return variable == Variable.LOG_LEVEL
        ? constant.name()
        : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** From 1 to {@code max}; 1 after reporting any other value. */
  public int positiveInt(EnvironmentVariable variable, int max) {
    return validPositiveInt(variable, max).orElse(1);
  }

  /** As {@link #positiveInt}, empty after reporting a problem. */
  public OptionalInt validPositiveInt(EnvironmentVariable variable, int max) {
    return wholeNumber(variable.name(), text(variable).trim(), 1, max);
  }

  /** From 0; empty after reporting any other value. */
  public OptionalInt validNonNegativeInt(EnvironmentVariable variable) {
    return wholeNumber(variable.name(), text(variable).trim(), 0, Integer.MAX_VALUE);
  }

  public int nonNegativeInt(EnvironmentVariable variable) {
    return validNonNegativeInt(variable).orElse(0);
  }

  public int port(EnvironmentVariable variable) {
    return validPort(variable.name(), text(variable)).orElse(1);
  }

  /**
   * A port of a variable that is not one of ours (e.g. a server setting); empty after reporting a
   * problem.
   */
  public OptionalInt validPort(String variable, String value) {
    return wholeNumber(variable, value.trim(), 1, 65535);
  }

  private OptionalInt wholeNumber(String variable, String value, int min, int max) {
    try {
      // Decimal ASCII digits only: Integer.parseInt would also take a sign and other scripts'
      // digits.
      int parsed = DECIMAL.matcher(value).matches() ? Integer.parseInt(value) : -1;
      if (parsed >= min && parsed <= max) {
        return OptionalInt.of(parsed);
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    problems.add(
        ConfigurationProblem.of(
            variable,
            value,
            "must be a whole number from "
                + min
                + " to "
                + (max == Integer.MAX_VALUE ? "2147483647" : max)));
    return OptionalInt.empty();
  }

  public Path absolutePath(EnvironmentVariable variable) {
    String value = text(variable).trim();
    if (hasLineBreak(value)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "must not contain a line break: pgbackrest.conf has one setting a line"));
      return Path.of("/");
    }
    try {
      Path path = Path.of(value);
      if (path.isAbsolute()) {
        return path.normalize();
      }
    } catch (RuntimeException e) {
      // reported below
    }
    problems.add(
        ConfigurationProblem.of(
            variable.name(), value, "must be an absolute path, e.g. /var/lib/x"));
    return Path.of("/");
  }

  public String identifier(EnvironmentVariable variable, String value) {
    validIdentifier(variable, value);
    return value;
  }

  /** Whether {@code value} is a name PostgreSQL and our files take; reports why not. */
  private boolean validIdentifier(EnvironmentVariable variable, String value) {
    if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value, "must be a name of 1 to 63 bytes (PostgreSQL's limit)"));
    } else if (value.indexOf('\0') >= 0) {
      problems.add(
          ConfigurationProblem.of(variable.name(), value, "must not contain a NUL character"));
    } else if (hasLineBreak(value)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "must not contain a line break: pg_hba.conf, pg_ident.conf and password files have one entry a line"));
    } else {
      return true;
    }
    return false;
  }

  /**
   * A role the launcher creates (initdb's superuser, a feature's replication user): a name, not
   * reserved, and for the superuser without the double quote initdb cannot create one with.
   */
  public String roleName(EnvironmentVariable variable, String value) {
    boolean valid = validIdentifier(variable, value);
    if (valid && value.startsWith(RESERVED_ROLE_PREFIX)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "PostgreSQL reserves role names beginning with pg_ for its own roles: choose another name, e.g. "
                  + variable.defaultValue().orElse("admin")));
    } else if (valid && variable == Variable.POSTGRES_USER && value.indexOf('"') >= 0) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              value,
              "must not contain a double quote (\"): initdb cannot create such a superuser"));
    }
    return value;
  }

  /**
   * The first control character but a tab in {@code value}, described, e.g. "a carriage return
   * (\\r)".
   */
  public static Optional<String> controlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        return Optional.of(c == '\n' ? "a line break (\\n)" : "a carriage return (\\r)");
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return Optional.of(String.format("the control character U+%04X", (int) c));
      }
    }
    return Optional.empty();
  }

  private static boolean hasLineBreak(String value) {
    return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
  }

  public HostPort hostPort(EnvironmentVariable variable, String value) {
    Matcher m = HOST_PORT.matcher(value.trim());
    if (m.matches()) {
      int port = Integer.parseInt(m.group(3));
      if (port >= 1 && port <= 65535) {
        return new HostPort(m.group(1) != null ? m.group(1) : m.group(2), port);
      }
    }
    problems.add(
        ConfigurationProblem.of(
            variable.name(),
            value,
            "must be host:port with a port from 1 to 65535, e.g. 0.0.0.0:8008 or [::1]:8008"));
    return new HostPort("0.0.0.0", 1);
  }
}
