package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.ServerSetting;
import java.util.List;
import java.util.Optional;

/**
 * Judges {@code POSTGRESQL_*} settings by name and value. The real implementation asks the
 * installed server; {@link #offline()} is for rendering without binaries, and says so instead of
 * passing silently.
 */
@FunctionalInterface
public interface ServerSettingsValidator {

  Result validate(List<ServerSetting> settings);

  /**
   * @param problems one per bad setting, naming its variable
   * @param skippedReason why nothing could be checked, when that is the case
   */
  record Result(List<ConfigurationProblem> problems, Optional<String> skippedReason) {
    public Result {
      problems = List.copyOf(problems);
    }

    public static Result checked(List<ConfigurationProblem> problems) {
      return new Result(problems, Optional.empty());
    }

    public static Result skipped(String reason) {
      return new Result(List.of(), Optional.of(reason));
    }
  }

  /** Checks nothing and reports that names and values were not checked against a server. */
  static ServerSettingsValidator offline() {
    return settings ->
        settings.isEmpty()
            ? Result.checked(List.of())
            : Result.skipped(
                "no PostgreSQL binaries are used for this run, so names and values are checked by the"
                    + " server only when it starts");
  }
}
