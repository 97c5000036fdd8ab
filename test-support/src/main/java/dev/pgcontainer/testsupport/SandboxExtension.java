package dev.pgcontainer.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a {@link Sandbox} to test methods and lifecycle methods that ask for one, and closes it
 * when their scope ends: a {@code @BeforeEach} and the {@code @Test} it prepares share the test's
 * sandbox, deleted after the test; a {@code @BeforeAll} gets the class's, deleted after the class
 * (after any {@code @AfterAll}).
 *
 * <pre>{@code
 * @ExtendWith(SandboxExtension.class)
 * class SomethingIT {
 *   @Test
 *   void startsAServer(Sandbox sandbox) { ... sandbox.data() ... sandbox.port() ... }
 * }
 * }</pre>
 */
public final class SandboxExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SandboxExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Sandbox.class;
  }

  @Override
  public Sandbox resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // keyed by the context itself: a test's lookup must not find its class's sandbox in the parent
    // store
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            context.getUniqueId(),
            key -> Sandbox.create("pgc-" + context.getRequiredTestClass().getSimpleName() + "-"),
            Sandbox.class);
  }
}
