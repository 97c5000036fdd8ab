package dev.pgcontainer.health;

import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /metrics}: what the launcher knows itself (phase, server starts and restarts, last
 * successful check of each probe) plus the {@link ServerMetrics} read from the server on each
 * scrape, in the Prometheus text format.
 */
final class HealthMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Gauge lastSuccess;
  private final Gauge walDirectory;

  HealthMetrics(RunState state, ServerConnection connection, ServerRestarts restarts) {
    registry.register(new ServerMetrics(connection, state::phase));
    GaugeWithCallback.builder()
        .name("pgcontainer_phase")
        .help("The launcher's phase: 1 for the current one")
        .labelNames("phase")
        .callback(
            callback -> {
              Phase current = state.phase();
              for (Phase phase : Phase.values()) {
                callback.call(phase == current ? 1 : 0, phase.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("pgcontainer_server_starts")
        .help("How often the launcher started the server; more than one means it was restarted")
        .callback(callback -> callback.call(state.serverStarts()))
        .register(registry);
    CounterWithCallback.builder()
        .name("pgcontainer_server_restarts")
        .help(
            "Restarts of postgres the probes saw (by Patroni or an operator, or a crash restart); several between"
                + " two checks count once")
        .callback(callback -> callback.call(restarts.count()))
        .register(registry);
    lastSuccess =
        Gauge.builder()
            .name("pgcontainer_probe_last_success_timestamp_seconds")
            .help("When each probe last found its subject UP or DEGRADED (Unix time)")
            .labelNames("probe")
            .register(registry);
    walDirectory =
        Gauge.builder()
            .name("pgcontainer_wal_directory_bytes")
            .help(
                "Size of the WAL segment files in PGDATA/pg_wal (or where it links to), as the disk check last saw it")
            .register(registry);
  }

  /** Adds the gauges of another module, read on every scrape from now on. */
  void add(GaugeSource source) {
    registry.register(new ContributedGauges(source));
  }

  /**
   * Notes the checks of {@code report} that succeeded, and the WAL directory's size the disk check
   * saw.
   */
  void record(HealthReport report) {
    double at = report.checkedAt().toEpochMilli() / 1000.0;
    for (Map.Entry<String, ProbeResult> check : report.checks().entrySet()) {
      if (check.getValue().status().isServing()) {
        lastSuccess.labelValues(check.getKey()).set(at);
      }
    }
    ProbeResult disk = report.checks().get(DiskProbe.NAME);
    if (disk != null && disk.details().get(DiskProbe.WAL_BYTES) instanceof Long bytes) {
      walDirectory.set(bytes);
    }
  }

  String contentType() {
    return writer.getContentType();
  }

  byte[] scrape() {
    ByteArrayOutputStream text = new ByteArrayOutputStream(4096);
    try {
      writer.write(text, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing metrics to memory failed", e);
    }
    return text.toByteArray();
  }
}
