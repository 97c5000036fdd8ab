package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.Variable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official image keeps its cluster in {@value #OFFICIAL_DATA}, and compose files mount a volume
 * there. When PGDATA is not set and a volume is mounted there, it becomes PGDATA, so that the data
 * lands in it rather than in the default directory; otherwise the spec's default stays.
 */
final class OfficialDataPath {

  static final String OFFICIAL_DATA = "/var/lib/postgresql/data";

  /** Where the kernel lists this process' mounts. */
  static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private OfficialDataPath() {}

  /**
   * {@code env} with PGDATA {@value #OFFICIAL_DATA} when PGDATA is unset (or empty) and {@code
   * mountinfo} lists a mount there; {@code env} itself otherwise.
   */
  static Map<String, String> applied(Map<String, String> env, Path mountinfo) {
    String given = env.get(Variable.PGDATA.name());
    if ((given != null && !given.isEmpty()) || !isMountPoint(OFFICIAL_DATA, mountinfo)) {
      return env;
    }
    Map<String, String> applied = new HashMap<>(env);
    applied.put(Variable.PGDATA.name(), OFFICIAL_DATA);
    return Map.copyOf(applied);
  }

  /**
   * Whether {@code mountinfo} (proc(5)'s format; an unreadable file lists nothing) has a mount at
   * {@code path}.
   */
  static boolean isMountPoint(String path, Path mountinfo) {
    List<String> lines;
    try {
      lines = Files.readAllLines(mountinfo, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    }
    for (String line : lines) {
      String[] fields = line.split(" ");
      // the fifth field is the mount point, with space, tab, newline and backslash written in octal
      if (fields.length > 4 && unescape(fields[4]).equals(path)) {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String field) {
    return field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }
}
