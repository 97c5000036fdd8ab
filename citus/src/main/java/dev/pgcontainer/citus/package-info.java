/**
 * Owns the Citus feature ({@link dev.pgcontainer.citus.CitusFeature}): its variables and settings
 * ({@link dev.pgcontainer.citus.CitusRules}, read after Patroni's), its section of {@code
 * patroni.yml}, extension setup, coordinator/worker roles, idempotent worker registration, the
 * registration's health check and gauges, and the {@code citus} subcommand.
 */
package dev.pgcontainer.citus;
