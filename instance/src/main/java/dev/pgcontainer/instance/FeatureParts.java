package dev.pgcontainer.instance;

import dev.pgcontainer.configrender.ConfigContributor;
import java.nio.file.Path;
import java.util.List;

/**
 * What the features add to a server: the enabled ones' lines and files in its configuration and
 * directories of their own, made with the server's; and the programs of any (one may have been
 * enabled in the last run) that a killed launcher may have left running.
 */
public record FeatureParts(
    List<ConfigContributor> config,
    List<FeatureParts.Directory> directories,
    List<Leftover> leftovers) {

  /** No feature's part. */
  public static final FeatureParts NONE = new FeatureParts(List.of(), List.of(), List.of());

  public FeatureParts {
    config = List.copyOf(config);
    directories = List.copyOf(directories);
    leftovers = List.copyOf(leftovers);
  }

  /**
   * A directory a feature needs, owned by the server's user with mode 0700.
   *
   * @param variable the variable that names it, for messages that say what to change
   */
  public record Directory(Path path, String variable) {}
}
