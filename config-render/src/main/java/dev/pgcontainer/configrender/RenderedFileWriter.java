package dev.pgcontainer.configrender;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rendered files so that a reader (the server reloading) sees either the old or the new
 * file, never a part: each file goes to a temporary file in the same directory, is synced, given
 * its mode (and owner), then renamed over the target. Files already exactly as rendered are not
 * touched, so an unchanged configuration causes no reload.
 *
 * <p>Bound to a {@link ConfigLayout}: it refuses to write the user's own {@code postgresql.conf}
 * there.
 */
public final class RenderedFileWriter {

  private static final Logger log = LoggerFactory.getLogger(RenderedFileWriter.class);

  private final ConfigLayout layout;
  private final Optional<Owner> owner;

  private record Owner(UserPrincipal user, GroupPrincipal group) {}

  private RenderedFileWriter(ConfigLayout layout, Optional<Owner> owner) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.owner = owner;
  }

  /** A writer that leaves files owned by whoever runs it. */
  public static RenderedFileWriter of(ConfigLayout layout) {
    return new RenderedFileWriter(layout, Optional.empty());
  }

  /**
   * The same writer, but files it writes are owned by {@code user} and {@code group}, e.g. when the
   * launcher runs as root and the server's OS user must be able to read them.
   *
   * @throws PgcontainerException when the user or group does not exist
   */
  public RenderedFileWriter withOwner(String user, String group) {
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    try {
      return new RenderedFileWriter(
          layout,
          Optional.of(
              new Owner(
                  lookup.lookupPrincipalByName(user), lookup.lookupPrincipalByGroupName(group))));
    } catch (UserPrincipalNotFoundException e) {
      throw new PgcontainerException(
          "cannot give configuration files to "
              + user
              + ":"
              + group
              + ": there is no OS user or group named '"
              + e.getName()
              + "'; create it in the image or run the launcher as that user");
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot look up the OS user " + user + " and group " + group + ": " + e, e);
    }
  }

  /**
   * Writes every file that differs from what is on disk, in order.
   *
   * @throws IllegalArgumentException when a file is the user's own postgresql.conf (then nothing is
   *     written)
   * @throws PgcontainerException when a file cannot be written (files before it are already in
   *     place)
   */
  public WriteReport write(List<RenderedFile> files) {
    for (RenderedFile file : files) {
      if (layout.isUserConfigFile(file.path())) {
        throw new IllegalArgumentException(
            "refusing to write "
                + file.path()
                + ": it is the user's own configuration file, which pgcontainer only"
                + " reads");
      }
    }
    List<Path> changed = new ArrayList<>();
    List<Path> unchanged = new ArrayList<>();
    for (RenderedFile file : files) {
      byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
      try {
        if (isAlreadyWritten(file, content)) {
          log.debug("{} is up to date", file.path());
          unchanged.add(file.path());
        } else {
          replace(file, content);
          log.info("wrote {} ({})", file.path(), PosixFilePermissions.toString(file.mode()));
          changed.add(file.path());
        }
      } catch (IOException e) {
        throw new PgcontainerException(
            "cannot write "
                + file.path()
                + " ("
                + e
                + "): the launcher needs write access to "
                + file.path().getParent()
                + "; check the volume's owner and that it is not mounted read-only",
            e);
      }
    }
    return new WriteReport(changed, unchanged);
  }

  private boolean isAlreadyWritten(RenderedFile file, byte[] content) throws IOException {
    Path path = file.path();
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    boolean ownedAsWanted =
        owner
            .map(o -> o.user().equals(attributes.owner()) && o.group().equals(attributes.group()))
            .orElse(true);
    return ownedAsWanted
        && attributes.permissions().equals(file.mode())
        && attributes.size() == content.length
        && Arrays.equals(Files.readAllBytes(path), content);
  }

  private void replace(RenderedFile file, byte[] content) throws IOException {
    Path directory = file.path().getParent();
    Files.createDirectories(directory);
    // Created with the final mode (minus umask), so a secret is never readable by others, even for
    // a moment.
    Path temporary =
        Files.createTempFile(
            directory,
            "." + file.path().getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(file.mode()));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      PosixFileAttributeView attributes =
          Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
      attributes.setPermissions(file.mode());
      if (owner.isPresent()) {
        attributes.setOwner(owner.get().user());
        attributes.setGroup(owner.get().group());
      }
      Files.move(
          temporary,
          file.path(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
    syncDirectory(directory);
  }

  /** Makes the rename itself durable. */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the file itself is synced and in place.
      log.debug("cannot sync directory {}: {}", directory, e.toString());
    }
  }
}
