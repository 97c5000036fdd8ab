package dev.pgcontainer.feature;

import dev.pgcontainer.health.GaugeSource;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.instance.RunExtension;
import java.util.List;

/**
 * A feature's part in a run: hooks added to the run in this order, probes served by the health
 * endpoint (each named after a check the endpoint reports) and gauges added to its metrics.
 */
public record RunContribution(
    List<RunExtension> extensions, List<Probe> probes, List<GaugeSource> gauges) {

  /** Nothing. */
  public static final RunContribution NONE = new RunContribution(List.of(), List.of(), List.of());

  public RunContribution {
    extensions = List.copyOf(extensions);
    probes = List.copyOf(probes);
    gauges = List.copyOf(gauges);
  }
}
