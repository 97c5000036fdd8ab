/**
 * Owns health probes (postgresql, disk, process, and the seam through which each feature adds its
 * check, {@link dev.pgcontainer.health.FeatureCheck}) with hard deadlines, the lifecycle phase, the
 * {@code pgcontainer healthcheck} logic and the HTTP endpoint with Prometheus metrics, to which
 * other modules add gauges ({@link dev.pgcontainer.health.GaugeSource}).
 */
package dev.pgcontainer.health;
