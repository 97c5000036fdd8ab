package dev.pgcontainer.core;

import java.util.List;

/**
 * A rule on settings that core cannot judge itself (what the launcher supports, what the installed
 * server has), run by {@link Settings#fromEnvironment(java.util.Map, String,
 * ServerSettingsValidator, List, List, List)} so that its problems are reported together with every
 * other.
 */
@FunctionalInterface
public interface SettingsRule {

  /**
   * The problems of {@code settings}. The rule also runs when other variables have problems; those
   * then hold their defaults, and a problem the rule reports about a variable already reported is
   * dropped (it would only follow from the first one, e.g. "no password" after "both
   * POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set").
   */
  List<ConfigurationProblem> problems(Settings settings);
}
