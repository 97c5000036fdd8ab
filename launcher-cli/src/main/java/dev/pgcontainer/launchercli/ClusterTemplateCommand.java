package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.feature.UsageException;
import dev.pgcontainer.instance.ClusterTemplates;
import dev.pgcontainer.instance.FeatureParts;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.ServerDirectories;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code pgcontainer cluster-template}: makes, in {@code PGCONTAINER_CLUSTER_TEMPLATES}, the
 * cluster template a first {@code run} of this environment copies instead of running initdb (see
 * {@link ClusterTemplates}); the image build runs it for the official image's defaults and
 * Testcontainers'. The cluster is made in a temporary directory by the same code as a first start's
 * initdb. It keeps no password: a first start sets POSTGRES_PASSWORD on the copy, so none is needed
 * here.
 */
final class ClusterTemplateCommand {

  /**
   * Stands in for POSTGRES_PASSWORD, which the validation requires for external access; it goes
   * nowhere.
   */
  private static final String NO_PASSWORD = "a-cluster-template-keeps-no-password";

  private final Map<String, String> env;
  private final PrintStream out;

  ClusterTemplateCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  int execute(List<String> arguments) {
    UsageException.requireNoArguments(arguments);
    Optional<ClusterTemplates> templates = SettingsSource.clusterTemplates(env);
    if (templates.isEmpty()) {
      throw new UsageException(
          SettingsSource.CLUSTER_TEMPLATES_VARIABLE
              + " must name the directory to keep the"
              + " template in");
    }
    PgInstallation installation =
        PgInstallation.discover(env)
            .orElseThrow(
                () ->
                    new PgcontainerException(
                        "no PostgreSQL server is installed (set PG_BINDIR): a cluster template is made by the installed initdb"));
    Path work = temporaryDirectory();
    try {
      Map<String, String> templateEnv = new HashMap<>(env);
      templateEnv.put("PGDATA", work.resolve("data").toString());
      templateEnv.put("PGCONFIG", work.resolve("config").toString());
      templateEnv.put("PGLOG", work.resolve("log").toString());
      templateEnv.put("PGSOCKET", work.resolve("socket").toString());
      if (!env.containsKey("POSTGRES_PASSWORD_FILE")) {
        templateEnv.put("POSTGRES_PASSWORD", NO_PASSWORD);
      }
      Settings settings =
          SettingsSource.withServerCatalogue(templateEnv, Optional.of(installation));
      ServerUser user = SettingsSource.serverUser(settings, templateEnv);
      FeatureParts features = Features.parts(settings);
      ServerDirectories.of(settings, features.directories())
          .prepare(user.account(), user.switchesUser());
      PostgresInstance instance =
          PostgresInstance.of(
              ServerSetup.of(settings, installation, user, templateEnv).withFeatures(features));
      try (Supervisor supervisor = Supervisor.install()) {
        instance.makeClusterTemplate(supervisor, templates.get());
      }
      out.println(
          "made a cluster template in "
              + templates.get().directory()
              + " for POSTGRES_USER "
              + settings.superuser().name()
              + " and POSTGRES_DB "
              + settings.superuser().database());
      return ExitCode.OK;
    } finally {
      deleteRecursively(work);
    }
  }

  private static Path temporaryDirectory() {
    try {
      // the server's OS user makes the cluster below it
      return Files.createTempDirectory(
          "pgcontainer-template-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not make a temporary directory for the template: " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new PgcontainerException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }
}
