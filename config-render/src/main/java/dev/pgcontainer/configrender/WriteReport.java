package dev.pgcontainer.configrender;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link RenderedFileWriter#write} did.
 *
 * @param changed files written because their content, mode or owner differed (or they did not
 *     exist)
 * @param unchanged files left alone because they were already exactly as rendered
 */
public record WriteReport(List<Path> changed, List<Path> unchanged) {

  public WriteReport {
    changed = List.copyOf(changed);
    unchanged = List.copyOf(unchanged);
  }

  /** Whether anything on disk changed, e.g. to decide whether the server must reload. */
  public boolean anyChanged() {
    return !changed.isEmpty();
  }
}
