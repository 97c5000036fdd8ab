package dev.pgcontainer.health;

import dev.pgcontainer.instance.RunState;
import dev.pgcontainer.supervision.ManagedProcess;
import java.util.Map;
import java.util.Optional;

/**
 * {@code process}, inside the launcher: the supervised server process per the run state, how often
 * the launcher started it, and how often postgres restarted under it (a restart by Patroni or an
 * operator, or a crash restart).
 */
final class ProcessProbe implements Probe {

  static final String NAME = "process";

  private final RunState state;
  private final ServerRestarts restarts;

  ProcessProbe(RunState state, ServerRestarts restarts) {
    this.state = state;
    this.restarts = restarts;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProbeResult check() {
    int restarted = restarts.count();
    Map<String, Object> details =
        Map.of(
            "phase", state.phase().name(), "starts", state.serverStarts(), "restarts", restarted);
    Optional<ManagedProcess> server = state.server();
    ProbeResult result =
        switch (state.phase()) {
          case INITIALISING ->
              ProbeResult.of(ProbeStatus.STARTING, "no server process yet: initialising");
          case SLEEPING ->
              ProbeResult.of(ProbeStatus.SLEEPING, "sleep mode: no server process on purpose");
          case STOPPED -> ProbeResult.down("the server has stopped and the launcher is exiting");
          case STARTING, RUNNING, SHUTTING_DOWN ->
              server
                  .filter(ManagedProcess::isAlive)
                  .map(
                      alive ->
                          ProbeResult.up(
                              alive
                                  + " alive, started "
                                  + times(state.serverStarts())
                                  + (restarted == 0
                                      ? ""
                                      : ", postgres restarted " + times(restarted))))
                  .orElseGet(
                      () ->
                          ProbeResult.down(
                              server
                                  .map(dead -> dead + " is not running")
                                  .orElse(
                                      "no server process although the phase is " + state.phase())));
        };
    return result.withDetails(details);
  }

  private static String times(int starts) {
    return starts == 1 ? "once" : starts + " times";
  }
}
