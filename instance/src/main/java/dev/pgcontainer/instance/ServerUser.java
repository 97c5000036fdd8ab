package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.OsUser;

/**
 * The OS user the server (postgres, or Patroni and its postgres) runs as.
 *
 * @param account the OS account the server runs as
 * @param switchesUser true when the launcher is root and starts the server as {@code account}
 */
public record ServerUser(OsUser account, boolean switchesUser) {}
