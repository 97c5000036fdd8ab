package dev.pgcontainer.health;

import dev.pgcontainer.process.ManagedProcess;
import dev.pgcontainer.process.RunState;
import java.util.Map;
import java.util.Optional;

/** {@code process}, inside the launcher: the supervised server process per the run state, and how often it started. */
final class ProcessProbe implements Probe {

  static final String NAME = "process";

  private final RunState state;

  ProcessProbe(RunState state) {
    this.state = state;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProbeResult check() {
    Map<String, Object> details = Map.of("phase", state.phase().name(), "starts", state.serverStarts());
    Optional<ManagedProcess> server = state.server();
    ProbeResult result = switch (state.phase()) {
      case INITIALISING -> ProbeResult.of(ProbeStatus.STARTING, "no server process yet: initialising");
      case SLEEPING -> ProbeResult.of(ProbeStatus.SLEEPING, "sleep mode: no server process on purpose");
      case STOPPED -> ProbeResult.down("the server has stopped and the launcher is exiting");
      case STARTING, RUNNING, SHUTTING_DOWN -> server.filter(ManagedProcess::isAlive)
          .map(alive -> ProbeResult.up(alive + " alive, started " + times(state.serverStarts())))
          .orElseGet(() -> ProbeResult.down(server.map(dead -> dead + " is not running")
              .orElse("no server process although the phase is " + state.phase())));
    };
    return result.withDetails(details);
  }

  private static String times(int starts) {
    return starts == 1 ? "once" : starts + " times";
  }
}
