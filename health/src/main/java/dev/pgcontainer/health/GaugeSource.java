package dev.pgcontainer.health;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gauges another module adds to {@code /metrics} (e.g. Citus' workers), read on every scrape. Reading must be quick
 * and should not throw; a source that throws is left out of that scrape.
 */
@FunctionalInterface
public interface GaugeSource {

  List<Reading> read();

  /**
   * One sample of a gauge; readings of the same name form one metric family.
   *
   * @param name the metric name, e.g. {@code pgcontainer_citus_active_workers}
   * @param help what it measures
   * @param labels label names and values, in order
   */
  record Reading(String name, String help, Map<String, String> labels, double value) {
    public Reading {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(help, "help");
      labels = Map.copyOf(labels);
    }

    public static Reading of(String name, String help, double value) {
      return new Reading(name, help, Map.of(), value);
    }

    public static Reading labelled(String name, String help, String label, String labelValue, double value) {
      return new Reading(name, help, Map.of(label, labelValue), value);
    }
  }
}
