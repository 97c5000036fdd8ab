package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.health.GaugeSource;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Citus on {@code /metrics}: the node's role and its registration state from the launcher's memory,
 * and, while the server runs, the registered and active workers from its pg_dist_node (two short
 * queries per scrape on one session kept open through the socket; left out when the server cannot
 * answer). A part of the run, so that the kept session is closed before the server stops (an idle
 * session would keep a smart shutdown waiting).
 */
final class CitusGauges implements GaugeSource, RunExtension {

  /**
   * A scrape must not wait long for a busy server; Prometheus' own scrape timeout is 10 s by
   * default.
   */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final CitusState citus;
  private final RunState run;
  private final CitusStatusQuery query;

  private CitusGauges(CitusState citus, RunState run, CitusStatusQuery query) {
    this.citus = citus;
    this.run = run;
    this.query = query;
  }

  static CitusGauges of(Settings settings, CitusState citus, RunState run) {
    return new CitusGauges(citus, run, CitusStatusQuery.keepingSession(settings, QUERY_TIMEOUT));
  }

  /** The node's Citus state the gauges show. */
  CitusState state() {
    return citus;
  }

  @Override
  public List<Reading> read() {
    List<Reading> readings = new ArrayList<>();
    readings.add(
        Reading.labelled(
            "pgcontainer_citus_role",
            "This node's CITUS_ROLE: 1 for it",
            "role",
            lower(citus.role().name()),
            1));
    RegistrationState current = citus.registration().state();
    for (RegistrationState state : RegistrationState.values()) {
      readings.add(
          Reading.labelled(
              "pgcontainer_citus_registration",
              "The launcher's registration of this worker with its coordinator (CITUS_AUTO_REGISTER_WORKERS):"
                  + " 1 for the current state",
              "state",
              lower(state.name()),
              state == current ? 1 : 0));
    }
    if (run.phase() == Phase.RUNNING) {
      try {
        CitusStatus status = query.read();
        readings.add(
            Reading.of(
                "pgcontainer_citus_registered_workers",
                "Workers in this node's pg_dist_node",
                status.workers().size()));
        readings.add(
            Reading.of(
                "pgcontainer_citus_active_workers",
                "Active primary workers in this node's pg_dist_node",
                status.activeWorkers()));
      } catch (PgcontainerException e) {
        // the server is busy or restarting: this scrape has the launcher's own gauges only
      }
    }
    if (run.phase() != Phase.RUNNING) {
      query.close(); // also when a stop began during this scrape, after onStop had closed it
    }
    return readings;
  }

  @Override
  public void onStop() {
    query.close();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
