package dev.pgcontainer.launchercli;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.configrender.RenderedFileWriter;
import dev.pgcontainer.configrender.WriteReport;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code pgcontainer render [--out DIR]}: every file {@code run} would write, from the environment
 * alone (no server runs; installed binaries, when there are any, only judge the settings as for
 * {@code validate}). With {@code --out}, DIR stands for the root directory, so the files land at
 * DIR/their/real/path.
 */
final class RenderCommand {

  /** The OS user the server runs as in the image; the offline render has no better source. */
  static final String IMAGE_SERVER_USER = "postgres";

  private final Map<String, String> env;
  private final PrintStream out;
  private final Function<Map<String, String>, Optional<PgInstallation>> installations;

  /**
   * @param installations finds the server whose catalogue judges the settings, as for {@code
   *     validate}
   */
  RenderCommand(
      Map<String, String> env,
      PrintStream out,
      Function<Map<String, String>, Optional<PgInstallation>> installations) {
    this.env = env;
    this.out = out;
    this.installations = installations;
  }

  int execute(List<String> arguments) {
    Path outputRoot = null;
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.equals("--out") && i + 1 < arguments.size()) {
        outputRoot = Path.of(arguments.get(++i)).toAbsolutePath();
      } else if (argument.startsWith("--out=")) {
        outputRoot = Path.of(argument.substring("--out=".length())).toAbsolutePath();
      } else {
        throw new UsageException(
            "unexpected argument '" + argument + "' (render takes only --out DIR)");
      }
    }
    // Validated as validate and run do (with the installed server when there is one), so that all
    // three agree.
    Settings settings =
        SettingsSource.withServerCatalogue(env, SettingsSource.installation(env, installations));
    settings.warnings().forEach(w -> out.println("warning: " + w));
    List<Feature> enabled = Features.enabled(settings);
    List<RenderedFile> files =
        new ArrayList<>(
            ConfigRenderer.withDefaultTemplates()
                .render(RenderInput.of(settings, IMAGE_SERVER_USER).withContributors(enabled)));
    for (Feature feature : enabled) {
      files.addAll(feature.renderedFiles(settings));
    }
    ConfigLayout layout = ConfigLayout.of(settings);
    if (outputRoot != null) {
      Path root = outputRoot;
      files =
          files.stream()
              .map(f -> new RenderedFile(underRoot(root, f.path()), f.content(), f.mode()))
              .collect(Collectors.toList());
      layout = new ConfigLayout(underRoot(root, layout.directory()));
    }
    WriteReport report = RenderedFileWriter.of(layout).write(files);
    for (RenderedFile file : files) {
      out.println((report.changed().contains(file.path()) ? "wrote " : "unchanged ") + file.path());
    }
    return ExitCode.OK;
  }

  /**
   * {@code /usr/local/pgsql/config/x} under {@code root} is {@code root/usr/local/pgsql/config/x}.
   */
  private static Path underRoot(Path root, Path absolute) {
    return root.resolve(absolute.getRoot().relativize(absolute).toString());
  }
}
