package dev.pgcontainer.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the last configuration file the server accepted, so that the next start with the same
 * POSTGRESQL_* settings and the same {@code postgres} binary skips the judging run (about a tenth
 * of the launcher's start-up). Only an acceptance is remembered, so a rejected file is reported
 * every time; a failure to read or write the memo costs only the judging run. See
 * docs/internals.md, Judging server settings.
 */
final class AcceptedSettingsMemo implements ServerProbe {

  private static final Logger LOG = LoggerFactory.getLogger(AcceptedSettingsMemo.class);

  /** The memo's name in the directory given to {@link #wrapping}. */
  static final String FILE_NAME = ".pgcontainer-accepted-settings";

  private final ServerProbe server;
  private final Path binary;
  private final Path memo;

  /** What the server accepted in this JVM and the memo does not hold yet. */
  private String accepted;

  private AcceptedSettingsMemo(ServerProbe server, Path binary, Path memo) {
    this.server = server;
    this.binary = binary;
    this.memo = memo;
  }

  /**
   * Asks {@code server} (whose executable is {@code binary}) only what the memo in {@code
   * directory} does not know.
   */
  static AcceptedSettingsMemo wrapping(ServerProbe server, Path binary, Path directory) {
    return new AcceptedSettingsMemo(server, binary, directory.resolve(FILE_NAME));
  }

  @Override
  public String describeConfig() {
    return server.describeConfig();
  }

  @Override
  public ConfigFileVerdict readConfigFile(List<String> lines) {
    String content;
    try {
      content = contentFor(lines);
    } catch (IOException e) {
      return server.readConfigFile(lines);
    }
    if (content.equals(remembered())) {
      LOG.debug(
          "the server accepted these POSTGRESQL_* settings before ({}): not judged again", memo);
      return new ConfigFileVerdict(0, "");
    }
    ConfigFileVerdict verdict = server.readConfigFile(lines);
    if (verdict.exitCode() == 0) {
      accepted = content;
    }
    return verdict;
  }

  /**
   * Writes down the settings the server accepted in this JVM, if it was asked: called once the
   * whole configuration is valid, so that a start refused for any reason leaves the memo as it was.
   */
  void rememberAccepted() {
    if (accepted != null) {
      remember(accepted);
    }
  }

  private String contentFor(List<String> lines) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(binary, BasicFileAttributes.class);
    return "# "
        + binary.toRealPath()
        + " "
        + attributes.size()
        + " "
        + attributes.lastModifiedTime().toMillis()
        + "\n"
        + String.join("\n", lines)
        + "\n";
  }

  private String remembered() {
    try {
      return Files.readString(memo, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private void remember(String content) {
    if (!Files.isDirectory(memo.getParent())) {
      return;
    }
    Path staging = memo.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(staging);
      Files.createFile(
          staging,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(staging, content, StandardCharsets.UTF_8);
      Files.move(
          staging, memo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.debug("could not remember the accepted settings in {}: {}", memo, e.toString());
      try {
        Files.deleteIfExists(staging);
      } catch (IOException ignored) {
        // nothing more to do: the next start judges again
      }
    }
  }
}
