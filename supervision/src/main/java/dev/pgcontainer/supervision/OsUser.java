package dev.pgcontainer.supervision;

import java.util.Objects;

/**
 * An account from the user database.
 *
 * @param name login name
 * @param uid numeric user id
 * @param gid numeric id of the primary group
 */
public record OsUser(String name, int uid, int gid) {

  public OsUser {
    Objects.requireNonNull(name, "name");
  }
}
