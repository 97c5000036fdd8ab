package dev.pgcontainer.configrender;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.reflect.MapObjectHandler;
import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Renders the server's configuration files from {@link RenderInput} with Mustache templates, compiled once per
 * renderer (immutable, shareable between threads). Pure: it reads templates, never the target files, and starts
 * nothing. HTML escaping is off, as every value in the view is already quoted for its file; the templates and their
 * view: docs/internals.md, Configuration templates.
 */
public final class ConfigRenderer {

  private static final String CLASSPATH_ROOT = "/dev/pgcontainer/configrender/templates/";

  /** The files rendered, in this order, each from the template named after it. */
  private enum Template {
    MAIN_CONFIG("pgcontainer.conf.mustache"),
    ENVIRONMENT_CONFIG("pgcontainer-env.conf.mustache"),
    HBA("pg_hba.conf.mustache"),
    IDENT("pg_ident.conf.mustache");

    private final String fileName;

    Template(String fileName) {
      this.fileName = fileName;
    }

    // A switch rather than method references: each lambda costs a cold JVM about a millisecond to link.
    Path target(ConfigLayout layout) {
      return switch (this) {
        case MAIN_CONFIG -> layout.mainConfigFile();
        case ENVIRONMENT_CONFIG -> layout.environmentConfigFile();
        case HBA -> layout.hbaFile();
        case IDENT -> layout.identFile();
      };
    }
  }

  private final List<Mustache> compiled;

  private ConfigRenderer(Optional<Path> overrideDirectory) {
    DefaultMustacheFactory factory = new RawMustacheFactory(new TemplateResolver(overrideDirectory));
    // The view model is made of maps and lists only, so no reflection is needed to read it.
    factory.setObjectHandler(new MapObjectHandler());
    List<Mustache> templates = new ArrayList<>();
    for (Template template : Template.values()) {
      templates.add(compile(factory, template.fileName, overrideDirectory));
    }
    this.compiled = List.copyOf(templates);
  }

  /**
   * The renderer with the built-in templates. They are compiled once per JVM, on the first call; every call returns the
   * same immutable renderer, so re-rendering (e.g. on SIGHUP) costs only the rendering.
   */
  public static ConfigRenderer withDefaultTemplates() {
    return BuiltIn.RENDERER;
  }

  /**
   * A renderer whose templates come from {@code directory} where a file of the template's name exists there (e.g.
   * {@code pg_hba.conf.mustache}), and from the built-in ones otherwise. Partials are looked up the same way.
   *
   * @throws ConfigurationException when the directory is missing or a template in it cannot be read or compiled
   */
  public static ConfigRenderer withTemplateDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ConfigurationException(
          List.of(
              ConfigurationProblem.missing(
                  directory.toString(),
                  "the template directory does not exist or is not a directory: mount it there, or render with the"
                      + " built-in templates")));
    }
    Path absolute = directory.toAbsolutePath();
    List<String> overridden = new ArrayList<>();
    for (Template template : Template.values()) {
      if (Files.isRegularFile(absolute.resolve(template.fileName))) {
        overridden.add(template.fileName);
      }
    }
    // Looked up here, not in a static field, so that the built-in renderer does not pay for logging's start-up.
    LoggerFactory.getLogger(ConfigRenderer.class)
        .info("templates from {}: {}; built-in for the rest", absolute, overridden.isEmpty() ? "none" : overridden);
    return new ConfigRenderer(Optional.of(absolute));
  }

  /**
   * Renders every file: {@code pgcontainer.conf}, {@code pgcontainer-env.conf}, {@code pg_hba.conf}, {@code
   * pg_ident.conf}, then {@code patroni.yml} ({@link PatroniConfig}) and {@code pgbackrest.conf} ({@link
   * PgBackRestConfig}) when enabled; each with mode 0644, as none holds a secret. Never the user's postgresql.conf.
   *
   * @throws ConfigurationException when a value cannot be written in its file's syntax, or Patroni would ignore it
   */
  public List<RenderedFile> render(RenderInput input) {
    ConfigLayout layout = ConfigLayout.of(input.settings());
    Map<String, Object> model = TemplateModel.of(input, layout);
    Template[] templates = Template.values();
    List<RenderedFile> files = new ArrayList<>(templates.length + 1);
    for (int i = 0; i < templates.length; i++) {
      StringWriter content = new StringWriter(2048);
      compiled.get(i).execute(content, model);
      files.add(RenderedFile.config(templates[i].target(layout), content.toString()));
    }
    if (input.settings().patroni().enabled()) {
      files.add(RenderedFile.config(layout.patroniConfigFile(), PatroniConfig.of(input).toYaml()));
    }
    if (input.settings().backup().enabled()) {
      files.add(PgBackRestConfig.render(input.settings(), layout));
    }
    return List.copyOf(files);
  }

  private static Mustache compile(DefaultMustacheFactory factory, String name, Optional<Path> overrideDirectory) {
    try {
      return factory.compile(name);
    } catch (MustacheException | UncheckedIOException e) {
      String where = overrideDirectory.map(d -> d.resolve(name).toString()).orElse(CLASSPATH_ROOT + name);
      throw new ConfigurationException(
          List.of(
              ConfigurationProblem.missing(
                  where,
                  "cannot use the template (" + e.getMessage() + "): fix it, or remove it to use the built-in one")));
    }
  }

  /** Holds the built-in renderer, created when first asked for (the JVM guarantees once, thread-safely). */
  private static final class BuiltIn {
    static final ConfigRenderer RENDERER = new ConfigRenderer(Optional.empty());
  }

  /**
   * Writes values as they are: they were quoted for their target file by {@link Quoting}, not for HTML. Compiles with
   * {@link QuietMustacheVisitor}, which leaves java.util.logging unstarted.
   */
  private static final class RawMustacheFactory extends DefaultMustacheFactory {
    RawMustacheFactory(MustacheResolver resolver) {
      super(resolver);
    }

    @Override
    public MustacheVisitor createMustacheVisitor() {
      return new QuietMustacheVisitor(this);
    }

    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new MustacheException("cannot write the rendered text", e);
      }
    }
  }

  /** A template file in the override directory wins over the built-in template of the same name. */
  private static final class TemplateResolver implements MustacheResolver {
    private final Optional<Path> overrideDirectory;

    TemplateResolver(Optional<Path> overrideDirectory) {
      this.overrideDirectory = overrideDirectory;
    }

    @Override
    public Reader getReader(String resourceName) {
      if (overrideDirectory.isPresent()) {
        Path override = overrideDirectory.get().resolve(resourceName);
        if (Files.isRegularFile(override)) {
          try {
            return Files.newBufferedReader(override, StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      InputStream builtIn = ConfigRenderer.class.getResourceAsStream(CLASSPATH_ROOT + resourceName);
      return builtIn == null ? null : new InputStreamReader(builtIn, StandardCharsets.UTF_8);
    }
  }
}
