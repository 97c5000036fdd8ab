package dev.pgcontainer.configrender;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * One file to write: where, what and with which permissions. {@link #toString()} leaves the content
 * out, since a file may hold a secret.
 *
 * @param path absolute path of the file
 * @param content the whole text, written as UTF-8
 * @param mode the file's permissions
 */
public record RenderedFile(Path path, String content, Set<PosixFilePermission> mode) {

  private static final Set<PosixFilePermission> CONFIG_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> SECRET_MODE =
      PosixFilePermissions.fromString("rw-------");

  public RenderedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("a rendered file needs an absolute path, got " + path);
    }
    mode = Set.copyOf(mode);
  }

  /** A configuration file anyone may read (0644). */
  public static RenderedFile config(Path path, String content) {
    return new RenderedFile(path, content, CONFIG_MODE);
  }

  /** A file holding a secret, readable by its owner only (0600). */
  public static RenderedFile secret(Path path, String content) {
    return new RenderedFile(path, content, SECRET_MODE);
  }

  @Override
  public String toString() {
    return "RenderedFile["
        + path
        + ", "
        + PosixFilePermissions.toString(mode)
        + ", "
        + content.length()
        + " chars]";
  }
}
