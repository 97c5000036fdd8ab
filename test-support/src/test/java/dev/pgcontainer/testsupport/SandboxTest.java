package dev.pgcontainer.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxTest {

  @Test
  void closeRunsTheCleanupsLastFirstThenDeletesTheRootWithEverythingInIt() throws Exception {
    Sandbox sandbox = Sandbox.create("pgc-sandbox-test-");
    Files.createDirectories(sandbox.data().resolve("base"));
    Files.writeString(sandbox.root().resolve("server.log"), "x");
    List<String> ran = new ArrayList<>();
    sandbox.beforeDeletion(() -> ran.add("first"));
    sandbox.beforeDeletion(() -> ran.add("second"));

    sandbox.close();

    assertThat(ran).containsExactly("second", "first");
    assertThat(sandbox.root()).doesNotExist();
  }

  @Test
  void aFailingCleanupDoesNotKeepTheOthersOrTheDeletionFromRunning() {
    Sandbox sandbox = Sandbox.create("pgc-sandbox-test-");
    List<String> ran = new ArrayList<>();
    sandbox.beforeDeletion(() -> ran.add("ran anyway"));
    sandbox.beforeDeletion(
        () -> {
          throw new AssertionError("processes left");
        });

    assertThatThrownBy(sandbox::close)
        .isInstanceOf(AssertionError.class)
        .hasMessage("processes left");
    assertThat(ran).containsExactly("ran anyway");
    assertThat(sandbox.root()).doesNotExist();
  }

  @Test
  void theRootIsTraversableByOthersAndTheServerUsersDirectoriesAreTheirsAlone() throws Exception {
    try (Sandbox sandbox = Sandbox.create("pgc-sandbox-test-")) {
      Path data = sandbox.serverUsersDirectory("data");

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.root())))
          .isEqualTo("rwxr-xr-x");
      assertThat(data).isEqualTo(sandbox.data()).isDirectory();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      assertThat(Files.getOwner(data).getName()).isEqualTo(Sandbox.serverOsUser());
    }
  }

  @Test
  void eachSandboxHasItsOwnPortBelowTheEphemeralRange() {
    try (Sandbox one = Sandbox.create("pgc-sandbox-test-");
        Sandbox other = Sandbox.create("pgc-sandbox-test-")) {
      assertThat(one.port()).isNotEqualTo(other.port()).isBetween(20000, 31999);
      assertThat(one.root()).isNotEqualTo(other.root());
    }
  }
}
