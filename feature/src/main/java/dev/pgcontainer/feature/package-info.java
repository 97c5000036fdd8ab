/**
 * Owns the plug-in point through which a feature (Patroni, pgBackRest, Citus) contributes to the
 * launcher: {@link dev.pgcontainer.feature.Feature}, its part in a run and its subcommands. Names
 * none of the features.
 */
package dev.pgcontainer.feature;
