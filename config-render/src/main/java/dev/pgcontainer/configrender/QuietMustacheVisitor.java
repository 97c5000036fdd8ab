package dev.pgcontainer.configrender;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.CommentCode;
import com.github.mustachejava.codes.DefaultCode;
import com.github.mustachejava.codes.DefaultMustache;
import com.github.mustachejava.codes.DynamicPartialCode;
import com.github.mustachejava.codes.ExtendCheckNameCode;
import com.github.mustachejava.codes.ExtendCode;
import com.github.mustachejava.codes.ExtendNameCode;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.PartialCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.codes.WriteCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Builds a template's code as Mustache.java's DefaultMustacheVisitor does, tag for tag, without its static
 * java.util.logging Logger: creating that starts java.util.logging's LogManager, about 10 ms of a cold JVM's first
 * render, for a warning about unknown pragmas that this class gives through SLF4J instead.
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
  public void notIterable(TemplateContext context, String variable, Mustache mustache) {
    codes.add(new NotIterableCode(context, factory, mustache, variable));
  }

  @Override
  public void name(TemplateContext context, String variable, Mustache mustache) {
    codes.add(new ExtendNameCode(context, factory, mustache, variable));
  }

  @Override
  public void checkName(TemplateContext context, String variable, Mustache mustache) {
    codes.add(new ExtendCheckNameCode(context, factory, mustache, variable));
  }

  @Override
  public void partial(TemplateContext context, String variable, String indent) {
    codes.add(new PartialCode(partialContext(context), factory, variable));
  }

  @Override
  public void dynamicPartial(TemplateContext context, String variable, String indent) {
    codes.add(new DynamicPartialCode(partialContext(context), factory, variable));
  }

  /** A partial's own delimiters start as the default ones, whatever the including template switched to. */
  private static TemplateContext partialContext(TemplateContext context) {
    return new TemplateContext("{{", "}}", context.file(), context.line(), context.startOfLine());
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
  public void pragma(TemplateContext context, String pragma, String args) {
    // IMPLICIT-ITERATOR is the one pragma Mustache.java knows, and it changes nothing: {{.}} always works.
    if (pragma.toLowerCase(Locale.ROOT).equals("implicit-iterator")) {
      codes.add(new DefaultCode());
    } else {
      LoggerFactory.getLogger(ConfigRenderer.class)
          .warn("{} line {}: unknown pragma {} ignored", context.file(), context.line(), pragma);
    }
  }

  @Override
  public void eof(TemplateContext context) {
    codes.add(new DefaultCode());
  }

  @Override
  public void extend(TemplateContext context, String variable, Mustache mustache) {
    codes.add(new ExtendCode(context, factory, mustache, variable));
  }

  @Override
  public void comment(TemplateContext context, String comment) {
    codes.add(new CommentCode(context, factory, comment));
  }
}
