package dev.pgcontainer.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: a Patroni cluster per test class, for high-availability tests; test methods ask for the
 * {@link PgCluster}. Register it on a static field: {@code @RegisterExtension static
 * PatroniClusterExtension ha = PatroniClusterExtension.of(PgCluster.patroni(3));}. Tests that kill
 * or stop members change the cluster for the tests after them.
 */
public final class PatroniClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(PatroniClusterExtension.class);

  private final PgCluster.Builder builder;

  private PatroniClusterExtension(PgCluster.Builder builder) {
    this.builder = builder;
  }

  public static PatroniClusterExtension of(PgCluster.Builder cluster) {
    return new PatroniClusterExtension(cluster);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PgCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  private PgCluster cluster(ExtensionContext context) {
    ExtensionContext owner = context;
    while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
    }
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("cluster", ignored -> new Running(builder.start()), Running.class)
        .cluster();
  }

  /**
   * Closed by JUnit after the class's last test. CloseableResource: JUnit before 5.13 closes only
   * it.
   */
  @SuppressWarnings("deprecation")
  private record Running(PgCluster cluster) implements CloseableResource {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
