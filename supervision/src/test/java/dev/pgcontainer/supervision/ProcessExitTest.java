package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessExitTest {

  @Test
  void readsSignalDeathsFromTheJdksExitValue() {
    assertThat(ProcessExit.ofExitValue(137))
        .isEqualTo(new ProcessExit(137, Optional.of(PosixSignal.KILL)));
    assertThat(ProcessExit.ofExitValue(143).signal()).contains(PosixSignal.TERM);
    assertThat(ProcessExit.ofExitValue(129).signal()).contains(PosixSignal.HUP);
    assertThat(ProcessExit.ofExitValue(137).describe()).isEqualTo("killed by SIGKILL (9)");
  }

  @Test
  void ordinaryCodesAreNotSignals() {
    assertThat(ProcessExit.ofExitValue(0).isSuccess()).isTrue();
    assertThat(ProcessExit.ofExitValue(0).describe()).isEqualTo("exited with code 0");
    assertThat(ProcessExit.ofExitValue(9).signal()).isEmpty();
    assertThat(ProcessExit.ofExitValue(128).signal()).isEmpty();
    assertThat(ProcessExit.ofExitValue(200).signal()).isEmpty();
    assertThat(ProcessExit.ofExitValue(1).isSuccess()).isFalse();
  }

  @Test
  void explainsTheShellsNotFoundCodes() {
    assertThat(ProcessExit.ofExitValue(127).describe())
        .isEqualTo("exited with code 127 (the program was not found)");
    assertThat(ProcessExit.ofExitValue(126).describe()).contains("not executable");
  }

  @Test
  void rejectsAnExitCodeThatDoesNotMatchTheSignal() {
    assertThatThrownBy(() -> new ProcessExit(9, Optional.of(PosixSignal.KILL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has exit code 137, not 9");
  }

  @Test
  void signalsKnowTheirNumbersAndNames() {
    assertThat(PosixSignal.ofNumber(15)).contains(PosixSignal.TERM);
    assertThat(PosixSignal.ofNumber(64)).isEmpty();
    assertThat(PosixSignal.QUIT.signalName()).isEqualTo("SIGQUIT");
    assertThat(PosixSignal.USR1.number()).isEqualTo(10);
  }
}
