package dev.pgcontainer.configrender;

import java.util.List;

/**
 * A feature's part in the rendered configuration: lines in the server's files, and files of its own
 * (e.g. its program's configuration), rendered from the same input. Enabled features only are
 * asked.
 */
public interface ConfigContributor {

  /** The lines this feature adds to the server's files. */
  default ServerConfigPart serverConfig(RenderInput input, ConfigLayout layout) {
    return ServerConfigPart.NONE;
  }

  /**
   * This feature's own files, written with the server's on every start.
   *
   * @throws dev.pgcontainer.core.ConfigurationException when a value cannot be written in its
   *     file's syntax
   */
  default List<RenderedFile> configFiles(RenderInput input, ConfigLayout layout) {
    return List.of();
  }
}
