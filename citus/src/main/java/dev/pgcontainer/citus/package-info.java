/**
 * Owns the Citus adapter: extension setup, coordinator/worker roles and idempotent worker registration.
 */
package dev.pgcontainer.citus;
