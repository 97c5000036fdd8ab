/**
 * Owns health probes (postgresql, patroni, disk, process) with hard deadlines, the lifecycle phase, the
 * {@code pgcontainer healthcheck} logic and the HTTP endpoint with Prometheus metrics.
 */
package dev.pgcontainer.health;
