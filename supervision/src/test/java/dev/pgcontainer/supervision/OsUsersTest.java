package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import dev.pgcontainer.core.PgcontainerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsUsersTest {

  @Test
  void parsesPasswdSkippingCommentsAndBrokenLines() {
    List<String> passwd =
        List.of(
            "# comment",
            "root:x:0:0:root:/root:/bin/bash",
            "",
            "+nisuser",
            "broken:x:abc:1::/:/bin/sh",
            "postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash");

    assertThat(OsUsers.parsePasswd(passwd))
        .containsExactly(new OsUser("root", 0, 0), new OsUser("postgres", 101, 104));
  }

  @Test
  void groupsAreThePrimaryOneAndThoseThatListTheUser() {
    List<String> group =
        List.of(
            "root:x:0:",
            "video:x:44:postgres,other",
            "ssl-cert:x:108:postgres",
            "audio:x:29:",
            "watchdog:x:abc:postgres",
            "users:x:100:postgresql");

    assertThat(OsUsers.groupIds(new OsUser("postgres", 101, 104), group))
        .containsExactly(44, 104, 108);
  }

  @Test
  void readsTheEffectiveUidFromProcStatus() {
    List<String> status =
        List.of("Name:\tjava", "Uid:\t1000\t0\t0\t0", "Gid:\t1000\t1000\t1000\t1000");

    assertThat(OsUsers.effectiveUid(status)).isZero();
    assertThatThrownBy(() -> OsUsers.effectiveUid(List.of("Name:\tjava")))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("no Uid line");
  }

  @Test
  void currentUidAgreesWithTheJdk() {
    assertThat(OsUsers.currentUid()).isEqualTo(new UnixSystem().getUid());
    assertThat(OsUsers.isRoot()).isEqualTo(new UnixSystem().getUid() == 0);
  }

  @Test
  void findsAccountsInTheSystemDatabase() {
    assertThat(OsUsers.find("root")).contains(new OsUser("root", 0, 0));
    assertThat(OsUsers.find("no-such-user-here")).isEmpty();
    assertThat(OsUsers.currentUser().map(OsUser::uid)).contains(OsUsers.currentUid());
  }
}
