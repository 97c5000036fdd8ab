package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.citus.CitusPreflight;
import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A coordinator and two workers from Java; without citus in the installation, the start says so
 * first.
 */
class CitusClusterIT {

  private static final boolean CITUS_INSTALLED =
      PgInstallation.discover(System.getenv()).map(CitusPreflight::isInstalled).orElse(false);

  @Test
  void theWorkersRegisterWithTheCoordinator() throws Exception {
    Assumptions.assumeTrue(
        CITUS_INSTALLED,
        "citus is not installed in this PostgreSQL (Debian does not package it): install it to run this test");
    try (CitusCluster citus =
            CitusCluster.withWorkers(2).eachNode(PgServer.Builder::forTests).start();
        Connection c = citus.coordinator().connect();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT nodeport FROM pg_dist_node WHERE noderole = 'primary'"
                    + " AND groupid > 0 ORDER BY nodeport")) {
      List<Integer> ports = new ArrayList<>();
      while (rows.next()) {
        ports.add(rows.getInt(1));
      }
      assertThat(ports)
          .containsExactlyInAnyOrderElementsOf(
              citus.workers().stream().map(PgServer::port).toList());
    }
  }

  @Test
  void withoutCitusTheStartIsAConfigurationErrorNamingIt() {
    Assumptions.assumeFalse(CITUS_INSTALLED, "citus is installed: the refusal cannot happen here");
    ConfigurationException failure =
        catchThrowableOfType(
            ConfigurationException.class, () -> CitusCluster.withWorkers(1).start());
    assertThat(failure).isNotNull();
    assertThat(failure.problems())
        .extracting(ConfigurationProblem::variable)
        .contains("CITUS_ENABLE");
  }
}
