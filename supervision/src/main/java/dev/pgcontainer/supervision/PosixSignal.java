package dev.pgcontainer.supervision;

import java.util.Arrays;
import java.util.Optional;

/**
 * The standard Linux signals with their numbers (identical on x86-64 and arm64). The constant name
 * is what {@code kill -s} and {@code sun.misc.Signal} expect ({@code TERM}); {@link #signalName()}
 * is the conventional {@code SIGTERM}.
 */
public enum PosixSignal {
  HUP(1),
  INT(2),
  QUIT(3),
  ILL(4),
  TRAP(5),
  ABRT(6),
  BUS(7),
  FPE(8),
  KILL(9),
  USR1(10),
  SEGV(11),
  USR2(12),
  PIPE(13),
  ALRM(14),
  TERM(15),
  STKFLT(16),
  CHLD(17),
  CONT(18),
  STOP(19),
  TSTP(20),
  TTIN(21),
  TTOU(22),
  URG(23),
  XCPU(24),
  XFSZ(25),
  VTALRM(26),
  PROF(27),
  WINCH(28),
  IO(29),
  PWR(30),
  SYS(31);

  private final int number;

  PosixSignal(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** {@code SIGTERM}, as operators read it. */
  public String signalName() {
    return "SIG" + name();
  }

  /** {@code SIGKILL (9)}. */
  public String describe() {
    return signalName() + " (" + number + ")";
  }

  public static Optional<PosixSignal> ofNumber(int number) {
    return Arrays.stream(values()).filter(signal -> signal.number == number).findFirst();
  }
}
