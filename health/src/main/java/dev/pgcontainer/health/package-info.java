/**
 * Owns health probes (postgresql, patroni, disk, process, and the seam for the launcher's backup probe) with hard
 * deadlines, the lifecycle phase, the {@code pgcontainer healthcheck} logic and the HTTP endpoint with Prometheus
 * metrics, to which other modules add gauges ({@link dev.pgcontainer.health.GaugeSource}).
 */
package dev.pgcontainer.health;
