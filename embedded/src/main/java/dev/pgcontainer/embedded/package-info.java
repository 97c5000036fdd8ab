/**
 * pgcontainer as a Java library: {@link dev.pgcontainer.embedded.PgServer} builds a server from typed settings and
 * returns a handle to it while it runs, supervised as the launcher supervises it; {@link
 * dev.pgcontainer.embedded.PgCluster} starts a Patroni cluster on a local etcd; {@link
 * dev.pgcontainer.embedded.PostgresExtension} gives JUnit 5 tests a server per class and a fresh database per test,
 * made from a migrated template. It also owns {@link dev.pgcontainer.embedded.SettingsSource}, the one validation the
 * command line and the library share. No Docker: the servers are local processes.
 */
package dev.pgcontainer.embedded;
