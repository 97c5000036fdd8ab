package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgcontainerException;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The ENTRYPOINT: runs one command and exits with its code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    boolean runsServer = Cli.runsServer(args);
    if (runsServer) {
      // While supervising, logs are the container's output; for one-shot commands stdout carries
      // the answer.
      System.setProperty(LogConfigurator.TARGET_PROPERTY, "stdout");
    }
    Map<String, String> env;
    try {
      env = HandedOverFiles.fromStdin(System.getenv(), System.in);
    } catch (PgcontainerException e) {
      System.err.println("pgcontainer: " + e.getMessage());
      System.exit(ExitCode.FAILURE);
      return;
    }
    Map<String, String> withDataPath = OfficialDataPath.applied(env, OfficialDataPath.MOUNTINFO);
    if (withDataPath != env && runsServer) {
      LoggerFactory.getLogger("pgcontainer")
          .info(
              "PGDATA is not set and a volume is mounted at {}, where the official"
                  + " image keeps its data: the cluster lives there",
              OfficialDataPath.OFFICIAL_DATA);
    }
    int exitCode = Cli.standard(withDataPath).execute(args);
    System.exit(exitCode);
  }
}
