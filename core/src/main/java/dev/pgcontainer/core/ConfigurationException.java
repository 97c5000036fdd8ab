package dev.pgcontainer.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The environment cannot be used: it carries every problem found, not only the first. The CLI exits
 * 78.
 */
public class ConfigurationException extends PgcontainerException {

  private final List<ConfigurationProblem> problems;

  public ConfigurationException(List<ConfigurationProblem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration error needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<ConfigurationProblem> problems() {
    return problems;
  }

  private static String describe(List<ConfigurationProblem> problems) {
    return problems.size()
        + (problems.size() == 1 ? " configuration problem" : " configuration problems")
        + ":\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
