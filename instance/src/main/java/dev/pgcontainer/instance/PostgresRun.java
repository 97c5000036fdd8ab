package dev.pgcontainer.instance;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.StopTarget;
import dev.pgcontainer.supervision.Supervisor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher runs postgres itself: the cluster made by an extension's {@link
 * RunExtension#clusterSource()} or initdb (with the init scripts on a new one), the extensions'
 * steps before start, start with their server environment, password, the extensions' steps before
 * ready. On a fast restart ({@link FastRestart}) the server the start script started is adopted
 * instead. Immutable.
 */
public final class PostgresRun implements ServerManager {

  private final Optional<InitScripts> initScripts;
  private final Optional<ClusterTemplates> templates;

  private PostgresRun(Optional<InitScripts> initScripts, Optional<ClusterTemplates> templates) {
    this.initScripts = initScripts;
    this.templates = templates;
  }

  /** Without init scripts. */
  public static PostgresRun standalone() {
    return new PostgresRun(Optional.empty(), Optional.empty());
  }

  /**
   * Runs {@code scripts} on a cluster this run makes with initdb, before it is complete (see {@link
   * PostgresInstance#initialise(Supervisor, InitScripts)}); a cluster made by an extension (a
   * restore) runs none.
   */
  public static PostgresRun withInitScripts(InitScripts scripts) {
    return new PostgresRun(Optional.of(scripts), Optional.empty());
  }

  /**
   * This run, whose initdb copies the template in {@code clusterTemplates} made for the same initdb
   * arguments and database, when there is one (see {@link ClusterTemplates}).
   */
  public PostgresRun withClusterTemplates(ClusterTemplates clusterTemplates) {
    return new PostgresRun(initScripts, Optional.of(clusterTemplates));
  }

  @Override
  public Steps begin(ServerSetup setup) {
    Settings settings = setup.settings();
    FastRestart fastRestart =
        FastRestart.of(settings.directories().config(), setup.environment(), settings.timeout());
    return new Steps() {
      @Override
      public Optional<Server> adoptStarted(
          PostgresInstance instance, List<RunExtension> extensions) {
        return fastRestart
            .adopt(
                instance.serverSpec(Map.of()), extensions.isEmpty(), instance::writeConfiguration)
            .map(
                server ->
                    new Postgres(settings, instance, server, false, fastRestart, Map.of(), true));
      }

      @Override
      public boolean makeCluster(
          PostgresInstance instance, Supervisor supervisor, List<RunExtension> extensions) {
        Optional<ClusterSource> source =
            extensions.stream()
                .flatMap(extension -> extension.clusterSource().stream())
                .findFirst();
        if (source.isPresent()) {
          return instance.initialise(supervisor, source.get());
        }
        PostgresInstance maker = templates.map(instance::withClusterTemplates).orElse(instance);
        return initScripts.isPresent()
            ? maker.initialise(supervisor, initScripts.get())
            : maker.initialise(supervisor);
      }

      @Override
      public Server start(
          PostgresInstance instance,
          Supervisor supervisor,
          List<RunExtension> extensions,
          boolean newCluster) {
        for (RunExtension extension : extensions) {
          supervisor.checkNotStopped("the steps before start");
          extension.beforeStart(instance, supervisor, newCluster);
        }
        supervisor.checkNotStopped("configuration");
        Map<String, String> serverEnvironment = new HashMap<>();
        extensions.forEach(extension -> serverEnvironment.putAll(extension.serverEnvironment()));
        return new Postgres(
            settings,
            instance,
            instance.start(serverEnvironment),
            newCluster,
            fastRestart,
            serverEnvironment,
            extensions.isEmpty());
      }
    };
  }

  /**
   * @param remembered whether an accepted start is recorded for the next one's fast restart (a run
   *     without extensions)
   */
  private record Postgres(
      Settings settings,
      PostgresInstance instance,
      ManagedProcess process,
      boolean newCluster,
      FastRestart fastRestart,
      Map<String, String> serverEnvironment,
      boolean remembered)
      implements Server {

    @Override
    public void ready() {
      if (remembered) {
        fastRestart.remember(instance.serverSpec(serverEnvironment));
      }
    }

    @Override
    public StopTarget stopTarget() {
      return process;
    }

    @Override
    public StopLadder ladder() {
      return StopLadder.postgres(settings.timeout());
    }

    @Override
    public String awaitReady(Supervisor supervisor, List<RunExtension> extensions) {
      supervisor.awaitReady(
          process, "accepting connections", instance.acceptingConnections(), settings.timeout());
      // a new cluster got POSTGRES_DB and POSTGRES_PASSWORD moments ago (checking the password
      // again costs a SCRAM hash, 0.2 s of CPU, just when the first clients log in)
      if (!newCluster) {
        instance.createDatabaseIfMissing(
            settings.passwordChangeTimeout()); // POSTGRES_DB may have changed since
        instance.applyPassword(settings.passwordChangeTimeout());
      }
      for (RunExtension extension : extensions) {
        extension.beforeReady(instance);
      }
      return "";
    }

    @Override
    public void reload() {
      instance.reload(process);
    }
  }
}
