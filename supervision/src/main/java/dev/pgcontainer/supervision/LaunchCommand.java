package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a spec's command into the argv actually executed. Both wrappers exec, so the child's pid is the real program's.
 *
 * <ul>
 *   <li>{@code env --default-signal --}: a JVM blocks SIGQUIT in its threads (it is the thread-dump signal) and every
 *       child inherits that mask, so without this a child never sees SIGQUIT (verified: a {@code sleep} started from
 *       Java has SigBlk 0x4 and ignores {@code kill -QUIT}). PostgreSQL resets its own mask, other programs do not.
 *       {@code --default-signal} unblocks every signal and restores default dispositions (GNU coreutils 8.31+).
 *   <li>{@code setpriv --reuid=UID --regid=GID --init-groups --}: when the JVM runs as root and the spec asks for
 *       another user. The uid and primary gid come from the user database, so users whose primary group has another
 *       name work too.
 *   <li>{@code setpriv --pdeathsig=SIGNAL --}: when the spec has a {@link ProcessSpec#parentDeathSignal()}; in the same
 *       setpriv as the user switch, which sets it after the switch (a change of uid would clear it).
 * </ul>
 */
final class LaunchCommand {

  static final List<String> SIGNAL_RESET = List.of("env", "--default-signal", "--");

  private LaunchCommand() {}

  static List<String> argv(ProcessSpec spec, int currentUid, Function<String, Optional<OsUser>> findUser) {
    List<String> argv = new ArrayList<>(SIGNAL_RESET);
    List<String> setprivOptions = new ArrayList<>();
    spec.runAs().ifPresent(user -> setprivOptions.addAll(privilegeDrop(spec, user, currentUid, findUser)));
    spec.parentDeathSignal().ifPresent(signal -> setprivOptions.add("--pdeathsig=" + signal.name()));
    if (!setprivOptions.isEmpty()) {
      argv.add("setpriv");
      argv.addAll(setprivOptions);
      argv.add("--");
    }
    argv.addAll(spec.command());
    return List.copyOf(argv);
  }

  private static List<String> privilegeDrop(
      ProcessSpec spec, String userName, int currentUid, Function<String, Optional<OsUser>> findUser) {
    OsUser user =
        findUser
            .apply(userName)
            .orElseThrow(
                () ->
                    new PgcontainerException(
                        "cannot run "
                            + spec.name()
                            + " as user '"
                            + userName
                            + "': there is no such user in /etc/passwd; create it in the image"));
    if (user.uid() == currentUid) {
      return List.of();
    }
    if (currentUid != OsUsers.ROOT_UID) {
      throw new PgcontainerException(
          "cannot run "
              + spec.name()
              + " as user '"
              + userName
              + "' (uid "
              + user.uid()
              + "): pgcontainer runs as uid "
              + currentUid
              + " and only root can switch users; start the container as root or as user '"
              + userName
              + "'");
    }
    return List.of("--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups");
  }
}
