package dev.pgcontainer.configrender;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.reflect.MapObjectHandler;
import dev.pgcontainer.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the server's configuration files from {@link RenderInput} with Mustache templates,
 * compiled once per renderer (immutable, shareable between threads). Pure: it reads templates,
 * never the target files, and starts nothing. HTML escaping is off, as every value in the view is
 * already quoted for its file; the templates and their view: docs/internals.md, Configuration
 * templates.
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

    // A switch rather than method references: each lambda costs a cold JVM about a millisecond to
    // link.
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

  private ConfigRenderer() {
    DefaultMustacheFactory factory = new RawMustacheFactory(new BuiltInTemplates());
    // The view model is made of maps and lists only, so no reflection is needed to read it.
    factory.setObjectHandler(new MapObjectHandler());
    List<Mustache> templates = new ArrayList<>();
    for (Template template : Template.values()) {
      templates.add(factory.compile(template.fileName));
    }
    this.compiled = List.copyOf(templates);
  }

  /**
   * The renderer with the built-in templates. They are compiled once per JVM, on the first call;
   * every call returns the same immutable renderer, so re-rendering (e.g. on SIGHUP) costs only the
   * rendering.
   */
  public static ConfigRenderer withDefaultTemplates() {
    return BuiltIn.RENDERER;
  }

  /**
   * Renders every file: {@code pgcontainer.conf}, {@code pgcontainer-env.conf}, {@code
   * pg_hba.conf}, {@code pg_ident.conf} with the lines of the input's features, then each feature's
   * own files; the server's with mode 0644, as none holds a secret. Never the user's
   * postgresql.conf.
   *
   * @throws ConfigurationException when a value cannot be written in its file's syntax, or a
   *     feature refuses one
   */
  public List<RenderedFile> render(RenderInput input) {
    ConfigLayout layout = ConfigLayout.of(input.settings());
    List<ServerConfigPart> parts = new ArrayList<>(input.contributors().size());
    for (ConfigContributor contributor : input.contributors()) {
      parts.add(contributor.serverConfig(input, layout));
    }
    Map<String, Object> model = TemplateModel.of(input, layout, parts);
    Template[] templates = Template.values();
    List<RenderedFile> files = new ArrayList<>(templates.length + input.contributors().size());
    for (int i = 0; i < templates.length; i++) {
      StringWriter content = new StringWriter(2048);
      compiled.get(i).execute(content, model);
      files.add(RenderedFile.config(templates[i].target(layout), content.toString()));
    }
    for (ConfigContributor contributor : input.contributors()) {
      files.addAll(contributor.configFiles(input, layout));
    }
    return List.copyOf(files);
  }

  /**
   * Holds the built-in renderer, created when first asked for (the JVM guarantees once,
   * thread-safely).
   */
  private static final class BuiltIn {
    static final ConfigRenderer RENDERER = new ConfigRenderer();
  }

  /**
   * Writes values as they are: they were quoted for their target file by {@link Quoting}, not for
   * HTML. Compiles with {@link QuietMustacheVisitor}, which leaves java.util.logging unstarted.
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

  /** The templates and their partials from the class path. */
  private static final class BuiltInTemplates implements MustacheResolver {
    @Override
    public Reader getReader(String resourceName) {
      InputStream builtIn = ConfigRenderer.class.getResourceAsStream(CLASSPATH_ROOT + resourceName);
      return builtIn == null ? null : new InputStreamReader(builtIn, StandardCharsets.UTF_8);
    }
  }
}
