package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContributedGaugesTest {

  @Test
  void readingsOfOneNameBecomeOneGaugeFamilyWithTheirLabels() throws Exception {
    GaugeSource source =
        () ->
            List.of(
                GaugeSource.Reading.labelled(
                    "pgcontainer_citus_registration", "state", "state", "registered", 1),
                GaugeSource.Reading.labelled(
                    "pgcontainer_citus_registration", "state", "state", "failed", 0),
                GaugeSource.Reading.of("pgcontainer_citus_active_workers", "active workers", 2));

    String text = scrape(source);

    assertThat(text)
        .contains("# TYPE pgcontainer_citus_registration gauge")
        .contains("pgcontainer_citus_registration{state=\"registered\"} 1.0")
        .contains("pgcontainer_citus_registration{state=\"failed\"} 0.0")
        .contains("pgcontainer_citus_active_workers 2.0");
  }

  @Test
  void aSourceThatFailsIsLeftOutOfTheScrape() throws Exception {
    GaugeSource failing =
        () -> {
          throw new IllegalStateException("server restarting");
        };

    assertThat(scrape(failing)).isEmpty();
  }

  private static String scrape(GaugeSource source) throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new ContributedGauges(source));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(text, registry.scrape());
    return text.toString(StandardCharsets.UTF_8);
  }
}
