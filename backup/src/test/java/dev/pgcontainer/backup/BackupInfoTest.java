package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The JSON is pgBackRest 2.45's own output (info --output=json) for a stanza with a full and an
 * incr backup.
 */
class BackupInfoTest {

  private static final String TWO_BACKUPS =
      """
      [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000007",
        "min":"000000010000000000000002"}],
        "backup":[
          {"archive":{"start":"000000010000000000000004","stop":"000000010000000000000005"},
           "backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,
           "info":{"delta":23157841,"repository":{"delta":4532551,"size":4532551},"size":23157841},
           "label":"20261125-211316F","lsn":{"start":"0/4000028","stop":"0/5000050"},"prior":null,
           "reference":null,"timestamp":{"start":1795641196,"stop":1795641199},"type":"full"},
          {"archive":{"start":"000000010000000000000006","stop":"000000010000000000000007"},
           "backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,
           "info":{"delta":8499,"repository":{"delta":1250,"size":4532551},"size":23157841},
           "label":"20261125-211316F_20261125-211321I","lsn":{"start":"0/6000028","stop":"0/7000050"},
           "prior":"20261125-211316F","reference":["20261125-211316F"],
           "timestamp":{"start":1795641201,"stop":1795641202},"type":"incr"}],
        "cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7712215966627263319,"version":"15"}],
        "name":"main","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],
        "status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
      """;

  @Test
  void readsBackupSetsArchiveRangeAndCluster() {
    BackupInfo info = BackupInfo.parse(TWO_BACKUPS, "main");

    assertThat(info.stanza()).isEqualTo("main");
    assertThat(info.status()).isEqualTo(new BackupInfo.Status(0, "ok"));
    assertThat(info.status().stanzaExists()).isTrue();
    assertThat(info.backups())
        .containsExactly(
            new BackupInfo.BackupSet(
                "20261125-211316F",
                BackupType.FULL,
                Instant.ofEpochSecond(1795641196),
                Instant.ofEpochSecond(1795641199),
                23157841,
                4532551,
                4532551,
                "000000010000000000000004",
                "000000010000000000000005",
                Optional.empty()),
            new BackupInfo.BackupSet(
                "20261125-211316F_20261125-211321I",
                BackupType.INCR,
                Instant.ofEpochSecond(1795641201),
                Instant.ofEpochSecond(1795641202),
                23157841,
                4532551,
                1250,
                "000000010000000000000006",
                "000000010000000000000007",
                Optional.of("20261125-211316F")));
    assertThat(info.archives())
        .containsExactly(
            new BackupInfo.WalArchive(
                "15-1",
                Optional.of("000000010000000000000002"),
                Optional.of("000000010000000000000007")));
    assertThat(info.currentDatabase())
        .contains(new BackupInfo.Database(1, "15", 7712215966627263319L));
  }

  @Test
  void answersTheLaunchersQuestions() {
    BackupInfo info = BackupInfo.parse(TWO_BACKUPS, "main");

    assertThat(info.latest(BackupType.FULL))
        .map(BackupInfo.BackupSet::label)
        .contains("20261125-211316F");
    assertThat(info.latest(BackupType.DIFF)).isEmpty();
    assertThat(info.latestCovering(BackupType.DIFF))
        .map(BackupInfo.BackupSet::label)
        .contains("20261125-211316F");
    assertThat(info.latestCovering(BackupType.INCR))
        .map(BackupInfo.BackupSet::type)
        .contains(BackupType.INCR);
    assertThat(info.earliest()).map(BackupInfo.BackupSet::label).contains("20261125-211316F");
    assertThat(info.latestEndedBy(Instant.ofEpochSecond(1795641200)))
        .map(BackupInfo.BackupSet::type)
        .contains(BackupType.FULL);
    assertThat(info.latestEndedBy(Instant.ofEpochSecond(1795641198)))
        .as("before the first backup ended")
        .isEmpty();
  }

  @Test
  void aMissingStanzaHasNoBackupsAndSaysSo() {
    BackupInfo info =
        BackupInfo.parse(
            """
        [{"archive":[],"backup":[],"cipher":"none","db":[],"name":"main","repo":[{"cipher":"none","key":1,
          "status":{"code":1,"message":"missing stanza path"}}],
          "status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}]
        """,
            "main");

    assertThat(info.status().stanzaExists()).isFalse();
    assertThat(info.status().message()).isEqualTo("missing stanza path");
    assertThat(info.backups()).isEmpty();
    assertThat(info.currentDatabase()).isEmpty();
  }

  @Test
  void anOtherErrorTakesTheRepositorysOwnMessage() {
    BackupInfo info =
        BackupInfo.parse(
            """
        [{"archive":[],"backup":[],"cipher":"none","db":[],"name":"main","repo":[{"cipher":"none","key":1,
          "status":{"code":99,"message":"[PathOpenError] unable to list file info for path '/r/backup': [13]
         Permission denied"}}],"status":{"code":99,"lock":{"backup":{"held":false}},"message":"other"}}]
        """
                .replace("\n ", " "),
            "main");

    assertThat(info.status().code()).isEqualTo(99);
    assertThat(info.status().message())
        .startsWith("[PathOpenError] unable to list file info")
        .contains("Permission");
  }

  @Test
  void textThatIsNotTheInfoOfTheStanzaIsRefusedWithAReason() {
    assertThatThrownBy(() -> BackupInfo.parse("ERROR: [031]: invalid option", "main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pgbackrest info did not print the JSON expected");
    assertThatThrownBy(() -> BackupInfo.parse(TWO_BACKUPS, "other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pgbackrest info says nothing about stanza other");
  }
}
