package dev.pgcontainer.health;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The readings of one {@link GaugeSource} as Prometheus gauges, grouped into families by name. */
final class ContributedGauges implements MultiCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ContributedGauges.class);

  private final GaugeSource source;

  ContributedGauges(GaugeSource source) {
    this.source = source;
  }

  @Override
  public MetricSnapshots collect() {
    List<GaugeSource.Reading> readings;
    try {
      readings = source.read();
    } catch (RuntimeException e) {
      LOG.debug("a gauge source failed and is left out of this scrape: {}", e.toString());
      return MetricSnapshots.of();
    }
    Map<String, GaugeSnapshot.Builder> families = new LinkedHashMap<>();
    for (GaugeSource.Reading reading : readings) {
      List<String> names = new ArrayList<>(reading.labels().keySet());
      List<String> values = names.stream().map(reading.labels()::get).toList();
      families
          .computeIfAbsent(
              reading.name(), name -> GaugeSnapshot.builder().name(name).help(reading.help()))
          .dataPoint(
              GaugeDataPointSnapshot.builder()
                  .value(reading.value())
                  .labels(Labels.of(names, values))
                  .build());
    }
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    families.values().forEach(family -> snapshots.metricSnapshot(family.build()));
    return snapshots.build();
  }
}
