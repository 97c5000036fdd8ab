package dev.pgcontainer.instance;

import dev.pgcontainer.configrender.WriteReport;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.ProcessSpec;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.Supervisor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast restart of a standalone server: when the start's arguments, its environment (secrets
 * included, hashed), the files the environment names, the files in the configuration directory and
 * the binaries are exactly those of the last accepted start, the start script ({@code
 * bin/pgcontainer}) starts postgres itself, with the command line and environment recorded here,
 * and then the JVM, which adopts the server instead of starting one. A start whose settings changed
 * in any way, bad ones included, never matches: it takes the normal way, where a bad setting is
 * exit 78 before anything is touched.
 *
 * <p>The record ({@value #FILE_NAME} in the configuration directory, mode 0600, fields separated by
 * NUL) holds the start fingerprint the script computed for that start (a SHA-256; it hands it over
 * in {@value #FINGERPRINT_VARIABLE}), the configuration directory's files as the launcher left
 * them, by content (the script lists the same: {@code sha256sum}'s listing of the files), and the
 * server's working directory, environment and argv. The JVM checks again what the script could not
 * know: that the recorded command and environment are those it would use now, and that rendering
 * the configuration changes no file; otherwise it stops the server at once and starts anew.
 *
 * <p>Written only for a standalone run with no extensions (no backups, no Citus) and not in sleep
 * mode; Patroni's run never reads or writes it. A new cluster (and so the init scripts) never takes
 * the fast way: the script requires a cluster in PGDATA and no {@code postmaster.pid}.
 */
final class FastRestart {

  private static final Logger LOG = LoggerFactory.getLogger(FastRestart.class);

  static final String FILE_NAME = ".pgcontainer-fast-restart";

  /** The start fingerprint the start script computed for this start. */
  static final String FINGERPRINT_VARIABLE = "PGCONTAINER_START_FINGERPRINT";

  /** The pid of the server the start script started, with its output on the JVM's descriptor 3. */
  static final String SERVER_PID_VARIABLE = "PGCONTAINER_STARTED_SERVER";

  private static final Path SERVER_OUTPUT = Path.of("/proc/self/fd/3");
  private static final String FORMAT = "pgcontainer-fast-restart-1";
  private static final int HEADER_FIELDS = 4;

  private final Path configDirectory;
  private final Map<String, String> environment;
  private final Duration timeout;

  private FastRestart(Path configDirectory, Map<String, String> environment, Duration timeout) {
    this.configDirectory = configDirectory;
    this.environment = environment;
    this.timeout = timeout;
  }

  /** For the launcher's {@code environment}, with its configuration directory and stop timeout. */
  static FastRestart of(Path configDirectory, Map<String, String> environment, Duration timeout) {
    return new FastRestart(configDirectory, environment, timeout);
  }

  /**
   * The server the start script started, when it is exactly the one {@code server} describes,
   * {@code eligible} (a standalone run without extensions) and {@code writeConfiguration} changes
   * no file; empty when the script started none, or (after stopping it) when it differs.
   */
  Optional<ManagedProcess> adopt(
      ProcessSpec server, boolean eligible, Supplier<WriteReport> writeConfiguration) {
    String pid = environment.get(SERVER_PID_VARIABLE);
    if (pid == null) {
      return Optional.empty();
    }
    long parsed = parsePid(pid);
    Optional<ProcessHandle> handle =
        (parsed > 0 ? ProcessHandle.of(parsed) : Optional.<ProcessHandle>empty())
            .filter(process -> process.parent().map(ProcessHandle.current()::equals).orElse(false));
    if (handle.isEmpty()) {
      LOG.info(
          "the server the start script started (pid {}) has ended or is not this launcher's child: starting"
              + " one",
          pid);
      return Optional.empty();
    }
    ManagedProcess adopted;
    try {
      adopted =
          ManagedProcess.adopt(server, handle.get(), new FileInputStream(SERVER_OUTPUT.toFile()));
    } catch (IOException e) {
      LOG.warn(
          "cannot read the output of the server the start script started ({}): stopping it",
          e.getMessage());
      handle.get().destroy();
      return Optional.empty();
    }
    Optional<String> difference =
        eligible
            ? difference(server)
            : Optional.of("this run has run extensions, e.g. backups or Citus");
    if (difference.isEmpty() && writeConfiguration.get().anyChanged()) {
      difference = Optional.of("rendering the configuration changed its files");
    }
    if (difference.isPresent()) {
      LOG.warn(
          "the server the start script started is not the one this start runs ({}): stopping it and starting"
              + " anew",
          difference.get());
      Supervisor.stop(adopted, StopLadder.postgres(timeout));
      return Optional.empty();
    }
    LOG.info(
        "fast restart: adopted postgres (pid {}), started by the start script as the last accepted start ran it",
        adopted.pid());
    return Optional.of(adopted);
  }

  /**
   * Records {@code server} after an accepted start, for the next start with the same fingerprint;
   * only when the start script computed one. A failure costs nothing but the fast way next time.
   */
  void remember(ProcessSpec server) {
    String fingerprint = environment.get(FINGERPRINT_VARIABLE);
    if (fingerprint == null || !Files.isDirectory(configDirectory)) {
      return;
    }
    Path file = configDirectory.resolve(FILE_NAME);
    Path staging = configDirectory.resolve(FILE_NAME + "." + ProcessHandle.current().pid());
    try {
      List<String> fields =
          new ArrayList<>(
              List.of(
                  FORMAT,
                  fingerprint,
                  configListing(),
                  server.workingDirectory().map(Path::toString).orElse("."),
                  Integer.toString(server.environment().size())));
      new TreeMap<>(server.environment()).forEach((name, value) -> fields.add(name + "=" + value));
      fields.addAll(ManagedProcess.commandLine(server));
      StringBuilder content = new StringBuilder();
      fields.forEach(field -> content.append(field).append('\0'));
      Files.deleteIfExists(staging);
      Files.createFile(
          staging,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(staging, content, StandardCharsets.UTF_8);
      Files.move(
          staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not record the fast restart in {}: {}", file, e.toString());
      try {
        Files.deleteIfExists(staging);
      } catch (IOException ignored) {
        // the next start takes the normal way
      }
    }
  }

  /**
   * What differs between the record and {@code server}, as this JVM sees it; empty when nothing
   * does.
   */
  private Optional<String> difference(ProcessSpec server) {
    List<String> fields;
    try {
      fields =
          List.of(
              Files.readString(configDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8)
                  .split("\0", -1));
    } catch (IOException e) {
      return Optional.of("its record is unreadable: " + e.getMessage());
    }
    int environmentSize =
        fields.size() > HEADER_FIELDS ? parseCount(fields.get(HEADER_FIELDS)) : -1;
    if (environmentSize < 0
        || fields.size() < HEADER_FIELDS + 1 + environmentSize
        || !fields.get(0).equals(FORMAT)) {
      return Optional.of("its record is malformed");
    }
    if (!fields.get(1).equals(environment.get(FINGERPRINT_VARIABLE))) {
      return Optional.of("the start fingerprint differs");
    }
    int argvStart = HEADER_FIELDS + 1 + environmentSize;
    Map<String, String> recordedEnvironment = new TreeMap<>();
    for (String entry : fields.subList(HEADER_FIELDS + 1, argvStart)) {
      int equals = entry.indexOf('=');
      recordedEnvironment.put(entry.substring(0, Math.max(equals, 0)), entry.substring(equals + 1));
    }
    List<String> recordedArgv =
        fields.subList(argvStart, fields.size() - 1); // the last field ends with NUL
    if (!recordedArgv.equals(ManagedProcess.commandLine(server))) {
      return Optional.of("its command line differs");
    }
    if (!recordedEnvironment.equals(new TreeMap<>(server.environment()))) {
      return Optional.of("its environment differs");
    }
    if (!fields.get(3).equals(server.workingDirectory().map(Path::toString).orElse("."))) {
      return Optional.of("its working directory differs");
    }
    return Optional.empty();
  }

  /**
   * What {@code sha256sum -- FILE...} prints for the configuration directory's regular files (the
   * record and its staging files left out), sorted, with names without the directory: the start
   * script lists the same.
   */
  private String configListing() throws IOException {
    StringBuilder listing = new StringBuilder();
    try (Stream<Path> files = Files.list(configDirectory)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith(FILE_NAME) && Files.isRegularFile(file)) {
          listing.append(sha256(Files.readAllBytes(file))).append("  ").append(name).append('\n');
        }
      }
    }
    return listing.toString();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static long parsePid(String pid) {
    try {
      return Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int parseCount(String count) {
    try {
      return Integer.parseInt(count);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
