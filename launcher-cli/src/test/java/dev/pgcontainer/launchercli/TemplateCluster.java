package dev.pgcontainer.launchercli;

import dev.pgcontainer.supervision.PosixSignal;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One cluster initialised by the real launcher (first start, password {@link
 * LauncherSandbox#PASSWORD}, then SIGTERM), made once per test JVM and copied by every test that
 * needs a cluster but does not test initialisation: initdb costs 2-5 s, a copy a fraction of that,
 * and each test still owns its data directory. Deleted when the JVM exits.
 */
final class TemplateCluster {

  private static Path dataDirectory;

  private TemplateCluster() {}

  static synchronized Path dataDirectory() {
    if (dataDirectory == null) {
      LauncherSandbox sandbox = LauncherSandbox.empty();
      Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "template-cluster-cleanup"));
      RunningLauncher launcher = sandbox.start();
      Duration firstStart = launcher.awaitReady();
      System.out.printf(
          "[measured] template cluster: first start (initdb included) ready after %d ms wall clock,"
              + " launcher says %d ms%n",
          firstStart.toMillis(), launcher.reportedReadyMillis());
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      dataDirectory = sandbox.data();
    }
    return dataDirectory;
  }
}
