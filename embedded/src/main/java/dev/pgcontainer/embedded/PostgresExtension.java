package dev.pgcontainer.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5, registered on a static field: a server per test class (or per suite, {@link #sharedAs}),
 * a template database migrated once, and a fresh copy of it for every test, dropped after it. Test
 * methods may ask for the {@link PgDatabase}, a {@link Connection} to it (closed after the test) or
 * the {@link PgServer}. Example: docs/java-library.md.
 */
public final class PostgresExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);
  private static final String TEMPLATE = "pgcontainer_template";

  private final PgServer.Builder builder;
  private final DatabaseTemplate.Migration migration;
  private final DatabaseTemplate.Strategy strategy;
  private final String sharedName;

  private PostgresExtension(
      PgServer.Builder builder,
      DatabaseTemplate.Migration migration,
      DatabaseTemplate.Strategy strategy,
      String sharedName) {
    this.builder = builder;
    this.migration = migration;
    this.strategy = strategy;
    this.sharedName = sharedName;
  }

  /**
   * A server made for tests (see {@link PgServer.Builder#forTests}). Change it with {@link
   * #server}.
   */
  public static PostgresExtension create() {
    return new PostgresExtension(
        PgServer.builder().forTests(), template -> {}, DatabaseTemplate.Strategy.FILE_COPY, null);
  }

  /**
   * The server to start, as built by {@code builder} (e.g. {@code
   * PgServer.builder().forTests().setting(...)}).
   */
  public PostgresExtension server(PgServer.Builder server) {
    return new PostgresExtension(server, migration, strategy, sharedName);
  }

  /**
   * Runs once on the template before the first test, e.g. Flyway (see {@link
   * DatabaseTemplate.Migration}).
   */
  public PostgresExtension migrateTemplate(DatabaseTemplate.Migration templateMigration) {
    return new PostgresExtension(
        builder, Objects.requireNonNull(templateMigration), strategy, sharedName);
  }

  /** How each test's database is copied from the template (default {@code FILE_COPY}). */
  public PostgresExtension strategy(DatabaseTemplate.Strategy copyStrategy) {
    return new PostgresExtension(builder, migration, copyStrategy, sharedName);
  }

  /**
   * One server and template for every test class registering an extension under {@code name} in
   * this JUnit run, stopped when the run ends; the first class to start it decides its settings and
   * migration.
   */
  public PostgresExtension sharedAs(String name) {
    return new PostgresExtension(builder, migration, strategy, Objects.requireNonNull(name));
  }

  /** The running server, between the class's first and last test. */
  public PgServer server(ExtensionContext context) {
    return served(context).server();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    served(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws SQLException {
    context.getStore(NAMESPACE).put(PgDatabase.class, served(context).template().copy());
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    Connection connection = context.getStore(NAMESPACE).remove(Connection.class, Connection.class);
    if (connection != null) {
      connection.close();
    }
    PgDatabase database = context.getStore(NAMESPACE).remove(PgDatabase.class, PgDatabase.class);
    if (database != null) {
      served(context).template().drop(database);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == PgDatabase.class || type == Connection.class || type == PgServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == PgServer.class) {
      return served(context).server();
    }
    PgDatabase database = context.getStore(NAMESPACE).get(PgDatabase.class, PgDatabase.class);
    if (database == null) {
      throw new IllegalStateException(
          "a PgDatabase exists only in a test method, not in " + context.getDisplayName());
    }
    if (type == PgDatabase.class) {
      return database;
    }
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Connection.class,
            ignored -> {
              try {
                return database.connect();
              } catch (SQLException e) {
                throw new IllegalStateException(
                    "cannot connect to " + database + ": " + e.getMessage(), e);
              }
            },
            Connection.class);
  }

  private String key() {
    return sharedName == null ? "server" : "server:" + sharedName;
  }

  private Served served(ExtensionContext context) {
    ExtensionContext owner = sharedName == null ? classContext(context) : context.getRoot();
    return owner.getStore(NAMESPACE).getOrComputeIfAbsent(key(), ignored -> start(), Served.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private Served start() {
    PgServer server = builder.start();
    try {
      return new Served(server, DatabaseTemplate.create(server, TEMPLATE, migration, strategy));
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "the template database could not be made: " + e.getMessage(), e);
    }
  }

  /**
   * The server and its template, closed together by JUnit when the store that holds them closes:
   * the class's after its last test, the run's at its end. CloseableResource rather than
   * AutoCloseable: JUnit before 5.13 closes only it.
   */
  @SuppressWarnings("deprecation")
  private record Served(PgServer server, DatabaseTemplate template) implements CloseableResource {
    @Override
    public void close() {
      try {
        template.close();
      } finally {
        server.close();
      }
    }
  }
}
