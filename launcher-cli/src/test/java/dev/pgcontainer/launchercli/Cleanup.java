package dev.pgcontainer.launchercli;

/**
 * Teardown of what a test started, in the order given: one that fails to close does not keep the
 * others open.
 */
final class Cleanup {

  private Cleanup() {}

  /**
   * Closes each of {@code resources} that is not null, printing rather than throwing what fails.
   */
  static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource != null) {
        try {
          resource.close();
        } catch (Exception e) {
          System.out.println("cleanup: " + e);
        }
      }
    }
  }
}
