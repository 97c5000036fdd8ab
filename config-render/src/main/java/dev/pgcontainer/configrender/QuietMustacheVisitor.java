package dev.pgcontainer.configrender;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.DefaultCode;
import com.github.mustachejava.codes.DefaultMustache;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.codes.WriteCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a template's code as Mustache.java's DefaultMustacheVisitor does, for the tags the
 * launcher's templates use (values and sections), without its static java.util.logging Logger:
 * creating that starts java.util.logging's LogManager, about 10 ms of a cold JVM's first render.
 * Any other tag fails the compilation, naming it.
 */
final class QuietMustacheVisitor implements MustacheVisitor {

  private final DefaultMustacheFactory factory;
  private final List<Code> codes = new ArrayList<>();

  QuietMustacheVisitor(DefaultMustacheFactory factory) {
    this.factory = factory;
  }

  @Override
  public Mustache mustache(TemplateContext context) {
    return new DefaultMustache(context, factory, codes.toArray(new Code[0]), context.file());
  }

  @Override
  public void iterable(TemplateContext context, String variable, Mustache mustache) {
    codes.add(new IterableCode(context, factory, mustache, variable));
  }

  @Override
  public void value(TemplateContext context, String variable, boolean encoded) {
    codes.add(new ValueCode(context, factory, variable, encoded));
  }

  @Override
  public void write(TemplateContext context, String text) {
    if (text.isEmpty()) {
      return;
    }
    if (codes.isEmpty()) {
      codes.add(new WriteCode(context, factory, text));
    } else {
      codes.get(codes.size() - 1).append(text);
    }
  }

  @Override
  public void eof(TemplateContext context) {
    codes.add(new DefaultCode());
  }

  @Override
  public void notIterable(TemplateContext context, String variable, Mustache mustache) {
    throw unsupported(context, "inverted section {{^" + variable + "}}");
  }

  @Override
  public void name(TemplateContext context, String variable, Mustache mustache) {
    throw unsupported(context, "block {{$" + variable + "}}");
  }

  @Override
  public void checkName(TemplateContext context, String variable, Mustache mustache) {
    throw unsupported(context, "block {{?" + variable + "}}");
  }

  @Override
  public void partial(TemplateContext context, String variable, String indent) {
    throw unsupported(context, "partial {{>" + variable + "}}");
  }

  @Override
  public void dynamicPartial(TemplateContext context, String variable, String indent) {
    throw unsupported(context, "dynamic partial {{>*" + variable + "}}");
  }

  @Override
  public void pragma(TemplateContext context, String pragma, String args) {
    throw unsupported(context, "pragma {{%" + pragma + "}}");
  }

  @Override
  public void extend(TemplateContext context, String variable, Mustache mustache) {
    throw unsupported(context, "extension {{<" + variable + "}}");
  }

  @Override
  public void comment(TemplateContext context, String comment) {
    throw unsupported(context, "comment {{!...}}");
  }

  private static MustacheException unsupported(TemplateContext context, String tag) {
    return new MustacheException(
        context.file()
            + " line "
            + context.line()
            + ": "
            + tag
            + " is not supported here; the templates use values and sections only");
  }
}
