package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LaunchCommandTest {

  private static final OsUser ROOT = new OsUser("root", 0, 0);
  private static final OsUser POSTGRES = new OsUser("postgres", 101, 104);
  private static final Function<String, Optional<OsUser>> USERS =
      name -> Optional.ofNullable(Map.of("root", ROOT, "postgres", POSTGRES).get(name));

  @Test
  void withoutUserRunsTheCommandBehindTheSignalReset() {
    assertThat(LaunchCommand.argv(spec(null), 0, USERS))
        .containsExactly("env", "--default-signal", "--", "postgres", "-D", "/data");
  }

  @Test
  void rootDropsToTheUserWithItsNumericUidAndPrimaryGroup() {
    assertThat(LaunchCommand.argv(spec("postgres"), 0, USERS))
        .containsExactly(
            "env",
            "--default-signal",
            "--",
            "setpriv",
            "--reuid=101",
            "--regid=104",
            "--init-groups",
            "--",
            "postgres",
            "-D",
            "/data");
  }

  @Test
  void theParentDeathSignalIsSetByTheSetprivThatSwitchesTheUser() {
    ProcessSpec spec =
        ProcessSpec.builder()
            .name("postgres")
            .command("postgres", "-D", "/data")
            .runAs("postgres")
            .parentDeathSignal(PosixSignal.INT)
            .build();

    assertThat(LaunchCommand.argv(spec, 0, USERS))
        .containsExactly(
            "env",
            "--default-signal",
            "--",
            "setpriv",
            "--reuid=101",
            "--regid=104",
            "--init-groups",
            "--pdeathsig=INT",
            "--",
            "postgres",
            "-D",
            "/data");
    assertThat(LaunchCommand.argv(spec, 101, USERS))
        .containsExactly(
            "env",
            "--default-signal",
            "--",
            "setpriv",
            "--pdeathsig=INT",
            "--",
            "postgres",
            "-D",
            "/data");
  }

  @Test
  void runningAsTheRequestedUserAlreadyNeedsNoSetpriv() {
    assertThat(LaunchCommand.argv(spec("postgres"), 101, USERS))
        .doesNotContain("setpriv")
        .endsWith("postgres", "-D", "/data");
    assertThat(LaunchCommand.argv(spec("root"), 0, USERS)).doesNotContain("setpriv");
  }

  @Test
  void anotherUserThanRootCannotSwitch() {
    assertThatThrownBy(() -> LaunchCommand.argv(spec("postgres"), 1000, USERS))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("pgcontainer runs as uid 1000 and only root can switch users")
        .hasMessageContaining("start the container as root or as user 'postgres'");
  }

  @Test
  void unknownUserIsNamed() {
    assertThatThrownBy(() -> LaunchCommand.argv(spec("ghost"), 0, USERS))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining(
            "cannot run postgres as user 'ghost': there is no such user in /etc/passwd");
  }

  private static ProcessSpec spec(String user) {
    ProcessSpec.Builder builder =
        ProcessSpec.builder().name("postgres").command("postgres", "-D", "/data");
    if (user != null) {
      builder.runAs(user);
    }
    return builder.build();
  }
}
