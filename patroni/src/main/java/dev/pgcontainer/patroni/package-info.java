/**
 * Owns the Patroni feature ({@link dev.pgcontainer.patroni.PatroniFeature}): its variables and
 * settings ({@link dev.pgcontainer.patroni.PatroniRules}), {@code patroni.yml} with the sections
 * features contribute, Patroni as the manager of a member's postgres ({@link
 * dev.pgcontainer.patroni.PatroniRun}), its processes and REST API, etcd's reachability, the
 * watchdog device and the cluster-wide settings the launcher keeps in the DCS.
 */
package dev.pgcontainer.patroni;
