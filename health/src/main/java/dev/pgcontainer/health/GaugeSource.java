package dev.pgcontainer.health;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gauges another module adds to {@code /metrics} (e.g. Citus' workers), read on every scrape.
 * Reading must be quick and should not throw; a source that throws is left out of that scrape.
 */
@FunctionalInterface
public interface GaugeSource {

  List<Reading> read();

  /**
   * One sample of a gauge; readings of the same name form one metric family.
   *
   * @param name the metric name, e.g. {@code pgcontainer_citus_active_workers}; Prometheus' rules
   *     apply (no reserved suffix such as {@code _count} or {@code _info})
   * @param help what it measures
   * @param labels label names and values, in order
   * @throws IllegalArgumentException for a name or label name Prometheus rejects, which would fail
   *     every scrape
   */
  record Reading(String name, String help, Map<String, String> labels, double value) {
    public Reading {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(help, "help");
      labels = Map.copyOf(labels);
      String problem = PrometheusNaming.validateMetricName(name);
      if (problem != null) {
        throw new IllegalArgumentException("gauge name " + name + ": " + problem);
      }
      labels.keySet().stream()
          .filter(label -> !PrometheusNaming.isValidLabelName(label))
          .findFirst()
          .ifPresent(
              label -> {
                throw new IllegalArgumentException(
                    "gauge " + name + ": invalid label name " + label);
              });
    }

    public static Reading of(String name, String help, double value) {
      return new Reading(name, help, Map.of(), value);
    }

    public static Reading labelled(
        String name, String help, String label, String labelValue, double value) {
      return new Reading(name, help, Map.of(label, labelValue), value);
    }
  }
}
