package dev.pgcontainer.health;

import dev.pgcontainer.instance.LauncherRequests;
import java.util.List;

/**
 * {@code pgcontainer healthcheck [all|NAME]} asked of the running launcher through its {@link
 * LauncherRequests} socket, answered from the health refresher's latest report: the lines and exit
 * code of {@code GET /health[/NAME]}, in a few milliseconds instead of a JVM's start. A request the
 * command line would refuse is left to the JVM, which says why.
 */
final class HealthcheckRequests implements LauncherRequests.Handler {

  /** The command it answers. */
  static final String COMMAND = "healthcheck";

  private final HealthRefresher refresher;

  HealthcheckRequests(HealthRefresher refresher) {
    this.refresher = refresher;
  }

  @Override
  public int answer(List<String> arguments, LauncherRequests.Answer answer) {
    HealthReport report = refresher.current();
    if (!arguments.isEmpty() && !arguments.equals(List.of("all"))) {
      if (arguments.size() > 1 || !report.checks().containsKey(arguments.get(0))) {
        return LauncherRequests.NOT_SERVED;
      }
      report = report.only(arguments.get(0));
    }
    report.lines().forEach(answer::out);
    return report.isHealthy() ? 0 : 1;
  }
}
