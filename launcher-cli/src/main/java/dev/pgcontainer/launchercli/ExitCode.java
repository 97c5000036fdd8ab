package dev.pgcontainer.launchercli;

/** The exit codes of the CLI contract (see the spec's CLI section). */
final class ExitCode {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  /** sysexits' EX_CONFIG: the configuration is wrong and nothing on disk was changed. */
  static final int CONFIGURATION = 78;

  /** Added to a signal number when the supervised server died of that signal. */
  static final int SIGNAL_BASE = 128;

  private ExitCode() {}
}
