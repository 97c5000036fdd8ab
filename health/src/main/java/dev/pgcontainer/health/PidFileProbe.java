package dev.pgcontainer.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code process}, outside the launcher (a healthcheck probing directly): the postmaster named in
 * {@code PGDATA/postmaster.pid} is alive, and what the file says about it ({@code ready}, {@code
 * starting}, ...).
 */
final class PidFileProbe implements Probe {

  /** The 8th line of postmaster.pid is the postmaster's status, as pg_ctl reads it. */
  private static final int STATUS_LINE = 8;

  private final Path pidFile;

  PidFileProbe(Path dataDirectory) {
    this.pidFile = dataDirectory.resolve("postmaster.pid");
  }

  @Override
  public String name() {
    return ProcessProbe.NAME;
  }

  @Override
  public ProbeResult check() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return ProbeResult.down("no " + pidFile + ": postgres is not running");
    } catch (AccessDeniedException e) {
      return ProbeResult.down(
          "cannot read " + pidFile + ": run the healthcheck as root or the server's OS user");
    }
    long pid;
    try {
      pid = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).trim());
    } catch (NumberFormatException e) {
      return ProbeResult.down(
          pidFile + " holds no pid: postgres is starting or left a broken file");
    }
    String status = lines.size() >= STATUS_LINE ? lines.get(STATUS_LINE - 1).trim() : "starting";
    Map<String, Object> details = Map.of("pid", pid, "postmaster_status", status);
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
      return ProbeResult.down("postgres (pid " + pid + " in " + pidFile + ") is not running")
          .withDetails(details);
    }
    ProbeStatus verdict =
        switch (status) {
          case "ready", "standby" -> ProbeStatus.UP;
          case "starting" -> ProbeStatus.STARTING;
          default -> ProbeStatus.DOWN; // "stopping"
        };
    return ProbeResult.of(verdict, "postgres (pid " + pid + ") alive, " + status)
        .withDetails(details);
  }
}
