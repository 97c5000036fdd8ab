package dev.pgcontainer.launchercli;

/** The ENTRYPOINT: runs one command and exits with its code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("run")) {
      // While supervising, logs are the container's output; for one-shot commands stdout carries the answer.
      System.setProperty(LogConfigurator.TARGET_PROPERTY, "stdout");
    }
    int exitCode = Cli.standard(System.getenv()).execute(args);
    System.exit(exitCode);
  }
}
