package dev.pgcontainer.supervision;

/** Specs shared by the integration tests. */
final class TestSpecs {

  private TestSpecs() {}

  /** A POSIX shell script with the harmless part of our environment. */
  static ProcessSpec.Builder sh(String name, String script) {
    return ProcessSpec.builder()
        .name(name)
        .command("sh", "-c", script)
        .environment(ProcessSpec.inheritableEnvironment(System.getenv()));
  }
}
