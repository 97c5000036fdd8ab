package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a spec's command into the argv executed: {@code env --default-signal} (a JVM's children
 * inherit its blocked SIGQUIT) and, when needed, {@code setpriv} for the user switch and the {@link
 * ProcessSpec#parentDeathSignal()}. Both exec, so the child's pid is the real program's. Why each:
 * docs/internals.md, Starting children.
 */
final class LaunchCommand {

  static final List<String> SIGNAL_RESET = List.of("env", "--default-signal", "--");

  private LaunchCommand() {}

  static List<String> argv(
      ProcessSpec spec, int currentUid, Function<String, Optional<OsUser>> findUser) {
    List<String> argv = new ArrayList<>(SIGNAL_RESET);
    List<String> setprivOptions = new ArrayList<>();
    spec.runAs()
        .ifPresent(user -> setprivOptions.addAll(privilegeDrop(spec, user, currentUid, findUser)));
    spec.parentDeathSignal()
        .ifPresent(signal -> setprivOptions.add("--pdeathsig=" + signal.name()));
    if (!setprivOptions.isEmpty()) {
      argv.add("setpriv");
      argv.addAll(setprivOptions);
      argv.add("--");
    }
    argv.addAll(spec.command());
    return List.copyOf(argv);
  }

  private static List<String> privilegeDrop(
      ProcessSpec spec,
      String userName,
      int currentUid,
      Function<String, Optional<OsUser>> findUser) {
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
