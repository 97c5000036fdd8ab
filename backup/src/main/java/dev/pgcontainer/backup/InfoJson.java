package dev.pgcontainer.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * pgBackRest's JSON as Jackson reads it, mapped to {@link BackupInfo}; kept apart so that the
 * public model has no Jackson in it. Unknown fields are ignored: newer pgBackRest versions add
 * some.
 */
final class InfoJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * The stanza-level message pgBackRest gives when the repository's own message says what went
   * wrong.
   */
  private static final String OTHER = "other";

  private InfoJson() {}

  static BackupInfo parse(String json, String stanza) {
    List<Stanza> stanzas;
    try {
      stanzas = List.of(MAPPER.readValue(json, Stanza[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "pgbackrest info did not print the JSON expected (" + e.getOriginalMessage() + ")", e);
    }
    Stanza found =
        stanzas.stream()
            .filter(s -> stanza.equals(s.name()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pgbackrest info says nothing about stanza " + stanza));
    return found.toModel();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Stanza(
      String name,
      StatusJson status,
      List<Backup> backup,
      List<Archive> archive,
      List<Db> db,
      List<Repo> repo) {

    BackupInfo toModel() {
      String message = status.message();
      if (OTHER.equals(message) && repo != null) {
        message = repo.stream().map(r -> r.status().message()).findFirst().orElse(message);
      }
      return new BackupInfo(
          name,
          new BackupInfo.Status(status.code(), message),
          orEmpty(backup).stream().map(Backup::toModel).toList(),
          orEmpty(archive).stream()
              .map(
                  a ->
                      new BackupInfo.WalArchive(
                          a.id(), Optional.ofNullable(a.min()), Optional.ofNullable(a.max())))
              .toList(),
          orEmpty(db).stream()
              .map(d -> new BackupInfo.Database(d.id(), d.version(), d.systemId()))
              .toList());
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record StatusJson(int code, String message) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Repo(StatusJson status) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Backup(
      String label, String type, Timestamp timestamp, Sizes info, WalRange archive, String prior) {

    BackupInfo.BackupSet toModel() {
      BackupType backupType =
          BackupType.fromKeyword(type)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "backup " + label + " has an unknown type '" + type + "'"));
      return new BackupInfo.BackupSet(
          label,
          backupType,
          Instant.ofEpochSecond(timestamp.start()),
          Instant.ofEpochSecond(timestamp.stop()),
          info.size(),
          info.repository().size(),
          info.repository().delta(),
          archive.start(),
          archive.stop(),
          Optional.ofNullable(prior));
    }
  }

  record Timestamp(long start, long stop) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Sizes(long size, long delta, RepositorySizes repository) {}

  record RepositorySizes(long size, long delta) {}

  record WalRange(String start, String stop) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Archive(String id, String min, String max) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Db(int id, String version, @JsonProperty("system-id") long systemId) {}

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
