package dev.pgcontainer.supervision;

import dev.pgcontainer.core.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to start: an immutable description of a child process. Its environment is exactly {@link
 * #environment()}, nothing inherited ({@link #inheritableEnvironment(Map)} picks the harmless
 * basics), and secrets go through {@link #stdin()}, never the command. See docs/internals.md,
 * Starting children.
 *
 * @param name what the child is, e.g. {@code postgres}; also the SLF4J logger name of its output
 * @param command the program and its arguments; never contains a secret, as it is logged and shown
 *     in errors
 * @param environment the child's complete environment
 * @param workingDirectory the child's working directory, the JVM's when empty
 * @param runAs the OS user the child runs as; see {@link ManagedProcess} for how privileges are
 *     dropped
 * @param stdin written to the child's stdin, which is then closed; without it the child reads
 *     end-of-file at once
 * @param keptOutputLines how many of the last output lines (stdout and stderr together) are kept
 *     for error reports
 * @param parentDeathSignal sent by the kernel when the thread that started the child ends (also on
 *     the JVM's SIGKILL); only for children started by a thread that lives as long as they are
 *     needed
 */
public record ProcessSpec(
    String name,
    List<String> command,
    Map<String, String> environment,
    Optional<Path> workingDirectory,
    Optional<String> runAs,
    Optional<Secret> stdin,
    int keptOutputLines,
    Optional<PosixSignal> parentDeathSignal) {

  public static final int DEFAULT_KEPT_OUTPUT_LINES = 50;

  private static final Set<String> INHERITABLE_NAMES =
      Set.of("PATH", "LANG", "LANGUAGE", "TZ", "TZDIR");
  private static final String INHERITABLE_PREFIX = "LC_";

  public ProcessSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(runAs, "runAs");
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(parentDeathSignal, "parentDeathSignal");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "a process needs a name (it names the logger of its output)");
    }
    command = List.copyOf(command); // also rejects null elements
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException(name + ": the command needs at least a program");
    }
    if (command.get(0).contains("=")) {
      // env(1), which starts every child, would read PROGRAM=... as a variable assignment
      throw new IllegalArgumentException(
          name + ": the program name must not contain '=': " + command.get(0));
    }
    if (command.stream().anyMatch(argument -> argument.indexOf('\0') >= 0)) {
      throw new IllegalArgumentException(name + ": an argument contains a NUL character");
    }
    environment.forEach((variable, value) -> checkVariable(name, variable, value));
    environment = Collections.unmodifiableMap(new TreeMap<>(environment));
    runAs.ifPresent(
        user -> {
          if (user.isBlank()) {
            throw new IllegalArgumentException(name + ": runAs must name a user");
          }
        });
    if (keptOutputLines < 1) {
      throw new IllegalArgumentException(
          name + ": keptOutputLines must be at least 1, not " + keptOutputLines);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The variables of {@code parentEnvironment} a child may safely inherit: PATH, LANG, LANGUAGE,
   * LC_*, TZ, TZDIR. HOME and USER are left out on purpose: they belong to the user the child runs
   * as.
   */
  public static Map<String, String> inheritableEnvironment(Map<String, String> parentEnvironment) {
    Map<String, String> picked = new TreeMap<>();
    parentEnvironment.forEach(
        (variable, value) -> {
          if (INHERITABLE_NAMES.contains(variable) || variable.startsWith(INHERITABLE_PREFIX)) {
            picked.put(variable, value);
          }
        });
    return Collections.unmodifiableMap(picked);
  }

  /**
   * Shows variable names only: a value could be sensitive even though secrets belong in {@link
   * #stdin()}.
   */
  @Override
  public String toString() {
    return "ProcessSpec[name="
        + name
        + ", command="
        + command
        + ", environment="
        + environment.keySet()
        + ", workingDirectory="
        + workingDirectory.map(Path::toString).orElse("(inherited)")
        + ", runAs="
        + runAs.orElse("(current user)")
        + ", stdin="
        + (stdin.isPresent() ? "<redacted>" : "(none)")
        + ", keptOutputLines="
        + keptOutputLines
        + ", parentDeathSignal="
        + parentDeathSignal.map(PosixSignal::signalName).orElse("(none)")
        + "]";
  }

  private static void checkVariable(String name, String variable, String value) {
    Objects.requireNonNull(variable, "environment variable name");
    Objects.requireNonNull(value, () -> "value of environment variable " + variable);
    if (variable.isEmpty() || variable.contains("=") || variable.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          name + ": invalid environment variable name '" + variable + "'");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          name + ": environment variable " + variable + " contains a NUL character");
    }
  }

  /** Collects a {@link ProcessSpec}; {@code name} and {@code command} are required. */
  public static final class Builder {

    private String name;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new TreeMap<>();
    private Path workingDirectory;
    private String runAs;
    private Secret stdin;
    private int keptOutputLines = DEFAULT_KEPT_OUTPUT_LINES;
    private PosixSignal parentDeathSignal;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder command(List<String> command) {
      this.command.clear();
      this.command.addAll(command);
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    /** Replaces the whole environment. */
    public Builder environment(Map<String, String> environment) {
      this.environment.clear();
      this.environment.putAll(environment);
      return this;
    }

    public Builder putEnvironment(String variable, String value) {
      this.environment.put(variable, value);
      return this;
    }

    public Builder workingDirectory(Path workingDirectory) {
      this.workingDirectory = workingDirectory;
      return this;
    }

    public Builder runAs(String user) {
      this.runAs = user;
      return this;
    }

    public Builder stdin(Secret stdin) {
      this.stdin = stdin;
      return this;
    }

    public Builder keptOutputLines(int keptOutputLines) {
      this.keptOutputLines = keptOutputLines;
      return this;
    }

    public Builder parentDeathSignal(PosixSignal signal) {
      this.parentDeathSignal = signal;
      return this;
    }

    public ProcessSpec build() {
      if (name == null) {
        throw new IllegalArgumentException(
            "a process needs a name (it names the logger of its output)");
      }
      return new ProcessSpec(
          name,
          command,
          environment,
          Optional.ofNullable(workingDirectory),
          Optional.ofNullable(runAs),
          Optional.ofNullable(stdin),
          keptOutputLines,
          Optional.ofNullable(parentDeathSignal));
    }
  }
}
