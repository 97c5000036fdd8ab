package dev.pgcontainer.embedded;

import dev.pgcontainer.citus.CitusVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Citus cluster of local processes on 127.0.0.1: a coordinator and N workers, each a launcher run
 * with {@code CITUS_ENABLE=true}, the workers registering themselves. Without the citus extension
 * installed, {@link Builder#start} reports a configuration problem, as the launcher does. See
 * docs/java-library.md.
 */
public final class CitusCluster implements AutoCloseable {

  private final PgServer coordinator;
  private final List<PgServer> workers;

  private CitusCluster(PgServer coordinator, List<PgServer> workers) {
    this.coordinator = coordinator;
    this.workers = List.copyOf(workers);
  }

  /** A coordinator and {@code workers} workers (at least 1). */
  public static Builder withWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a Citus cluster has at least one worker, not " + workers);
    }
    return new Builder(workers);
  }

  public PgServer coordinator() {
    return coordinator;
  }

  public List<PgServer> workers() {
    return workers;
  }

  /** Stops the workers, then the coordinator. */
  @Override
  public void close() {
    try {
      workers.stream().parallel().forEach(PgServer::close);
    } finally {
      coordinator.close();
    }
  }

  /** The nodes' shared settings; each node is a {@link PgServer.Builder} given Citus' variables. */
  public static final class Builder {

    private final int size;
    private final List<Consumer<PgServer.Builder>> shared = new ArrayList<>();

    private Builder(int size) {
      this.size = size;
    }

    /** A server setting on every node. */
    public Builder setting(String name, String value) {
      shared.add(b -> b.setting(name, value));
      return this;
    }

    /**
     * Applies {@code customiser} to every node's builder, e.g. {@link PgServer.Builder#forTests}.
     */
    public Builder eachNode(Consumer<PgServer.Builder> customiser) {
      shared.add(customiser);
      return this;
    }

    /**
     * Starts the coordinator, then the workers together; each worker is registered when its start
     * returns.
     */
    public CitusCluster start() {
      String password = PgServer.Builder.randomPassword();
      PgServer coordinator =
          node(password).variable(CitusVariable.CITUS_ROLE, "coordinator").start();
      List<PgServer> workers = new ArrayList<>();
      try {
        List<PgServer.Builder> builders = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          builders.add(
              node(password)
                  .variable(CitusVariable.CITUS_ROLE, "worker")
                  .variable(CitusVariable.CITUS_COORDINATOR_HOST, "127.0.0.1")
                  .variable(
                      CitusVariable.CITUS_COORDINATOR_PORT, String.valueOf(coordinator.port()))
                  .variable(CitusVariable.CITUS_AUTO_REGISTER_WORKERS, "true"));
        }
        builders.parallelStream().map(PgServer.Builder::start).forEachOrdered(workers::add);
        return new CitusCluster(coordinator, workers);
      } catch (RuntimeException e) {
        workers.forEach(PgServer::close);
        coordinator.close();
        throw e;
      }
    }

    private PgServer.Builder node(String password) {
      PgServer.Builder node = PgServer.builder();
      shared.forEach(customiser -> customiser.accept(node));
      return node.password(password)
          .variable(CitusVariable.CITUS_ENABLE, "true")
          .variable(CitusVariable.CITUS_NODE_HOST, "127.0.0.1");
    }
  }
}
