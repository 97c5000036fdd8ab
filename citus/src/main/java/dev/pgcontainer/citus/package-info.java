/**
 * Owns the Citus feature ({@link dev.pgcontainer.citus.CitusFeature}): extension setup,
 * coordinator/worker roles, idempotent worker registration, the registration's health check and
 * gauges, and the {@code citus} subcommand.
 */
package dev.pgcontainer.citus;
