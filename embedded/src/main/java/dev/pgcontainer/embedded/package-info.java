/**
 * pgcontainer as a Java library: {@link dev.pgcontainer.embedded.PgServer} builds a server from
 * typed settings and returns a handle to it while it runs, supervised as the launcher supervises
 * it; {@link dev.pgcontainer.embedded.PgCluster} starts a Patroni cluster on a local etcd and
 * {@link dev.pgcontainer.embedded.CitusCluster} a Citus coordinator with its workers; {@link
 * dev.pgcontainer.embedded.DatabaseTemplate} copies a migrated template database in milliseconds;
 * {@link dev.pgcontainer.embedded.PostgresExtension} and {@link
 * dev.pgcontainer.embedded.PatroniClusterExtension} give JUnit 5 tests a server (with a fresh
 * database per test) or a cluster per class. It also owns {@link
 * dev.pgcontainer.embedded.SettingsSource}, the one validation the command line and the library
 * share, and {@link dev.pgcontainer.embedded.Features}, the one list of the features both compose.
 * No Docker: the servers are local processes.
 */
package dev.pgcontainer.embedded;
