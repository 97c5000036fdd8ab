package dev.pgcontainer.core;

import java.util.List;

/**
 * The two questions {@link ServerParameterCatalogue} asks a postgres binary; unit tests answer with
 * recorded output.
 */
interface ServerProbe {

  /** The output of {@code postgres --describe-config}: one tab-separated line per parameter. */
  String describeConfig();

  /** Lets the server read a configuration file made of {@code lines} and reports what it said. */
  ConfigFileVerdict readConfigFile(List<String> lines);

  /**
   * @param exitCode 0 when the server accepted the file
   * @param log what the server wrote to stderr, one message per line with no prefix
   */
  record ConfigFileVerdict(int exitCode, String log) {}
}
