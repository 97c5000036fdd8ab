package dev.pgcontainer.citus;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.CommandContext;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.feature.UsageException;
import dev.pgcontainer.patroni.PatroniSettings;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code pgcontainer citus status}: the node's role, its pg_dist_node (the registered workers) and
 * how many workers are active, read from the running server through its socket; on a worker also
 * whether it is registered: whether the coordinator lists it (under Patroni, whose coordinator only
 * Patroni knows, whether this node's own copy of pg_dist_node does, at PATRONI_CONNECT_ADDRESS).
 * Exit 0 when the server answered, 1 otherwise.
 */
final class CitusCommand implements Subcommand {

  @Override
  public String name() {
    return "citus";
  }

  @Override
  public List<String> usage() {
    return List.of(
        "citus status               Citus role, registered and active workers of the running node");
  }

  @Override
  public void execute(CommandContext context, List<String> arguments) {
    if (arguments.size() != 1 || !arguments.get(0).equals("status")) {
      throw new UsageException("citus takes one subcommand: status");
    }
    Settings settings = context.offlineSettings();
    PrintStream out = context.out();
    if (!CitusSettings.of(settings).enabled()) {
      throw new PgcontainerException("this node runs no Citus (CITUS_ENABLE is not true)");
    }
    CitusStatusQuery query = CitusStatusQuery.forSettings(settings, settings.timeout());
    CitusStatus status = query.read();
    out.println("role: " + status.role().name().toLowerCase(Locale.ROOT));
    out.println(
        "database: "
            + status.database()
            + (status.extensionVersion().isEmpty()
                ? " (the citus extension is not created yet)"
                : " (citus " + status.extensionVersion() + ")"));
    if (status.role() == CitusRole.WORKER) {
      registration(settings, query).forEach(out::println);
    }
    out.println("nodes:" + (status.nodes().isEmpty() ? " none in this node's pg_dist_node" : ""));
    for (CitusNode node : status.nodes()) {
      out.println("  " + node);
    }
    out.println("registered workers: " + status.workers().size());
    out.println("active workers: " + status.activeWorkers());
  }

  /** The coordinator line and the registration line of a worker. */
  private static List<String> registration(Settings settings, CitusStatusQuery query) {
    String worker = query.workerAddress().toString();
    String coordinator =
        PatroniSettings.of(settings).enabled()
            ? "found by Patroni in etcd; this node's pg_dist_node"
            : CitusSettings.of(settings).coordinatorHost()
                + ":"
                + CitusSettings.of(settings).coordinatorPort()
                + ",";
    try {
      boolean known = query.knownToCoordinator();
      return List.of(
          "coordinator: "
              + coordinator
              + (known ? " lists this worker as " : " does not list ")
              + worker
              + (known ? "" : " yet"),
          "registration: " + (known ? "registered" : "not registered"));
    } catch (PgcontainerException e) {
      return List.of(
          "coordinator: " + coordinator + " not reachable: " + e.getMessage(),
          "registration: unknown, as the coordinator could not be asked");
    }
  }
}
