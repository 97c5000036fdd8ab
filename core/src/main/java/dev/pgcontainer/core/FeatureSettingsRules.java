package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.ExternalAccess;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.core.Settings.Superuser;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature's own variables and how they read: {@link Settings#fromEnvironment(Map, List)} runs
 * every feature's rule set through the reader of core's variables, so that all problems are
 * reported at once, and keeps each record under its type for {@link Settings#feature(Class)}.
 *
 * @param <T> the feature's settings record
 */
public interface FeatureSettingsRules<T> {

  /** The type {@link #read} returns, under which {@link Settings#feature(Class)} finds it. */
  Class<T> settingsType();

  /** The feature's variables: known to the check of unknown variables and to its suggestions. */
  List<? extends EnvironmentVariable> variables();

  /**
   * Prefixes of the feature's variables: an unknown name under one of them is most likely a typo of
   * one of ours.
   */
  List<String> prefixes();

  /**
   * Prefixes of variables the feature's program reads itself: an unknown name under one of them
   * that is no near-miss of ours is left to the program, without a warning.
   */
  default List<String> programPrefixes() {
    return List.of();
  }

  /**
   * The feature's settings, read through {@code reader}, which collects every problem; a value with
   * a problem holds its default, so that reading goes on.
   */
  T read(EnvironmentReader reader, ReadSoFar readSoFar);

  /**
   * What was read before a feature's rule set: core's values it may depend on, and the records of
   * the features before it in the list.
   */
  record ReadSoFar(
      String hostName,
      Superuser superuser,
      ExternalAccess externalAccess,
      List<ServerSetting> serverSettings,
      Map<Class<?>, Object> features) {

    /** The record of the feature whose settings are of {@code type}, if its rule set ran before. */
    public <F> Optional<F> feature(Class<F> type) {
      return Optional.ofNullable(type.cast(features.get(type)));
    }
  }
}
