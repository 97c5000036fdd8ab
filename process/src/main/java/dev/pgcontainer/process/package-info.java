/**
 * Owns supervised child processes (start from an immutable spec, output piped to SLF4J, readiness, stop ladder,
 * privilege drop, parent-death signals, stopping what a killed launcher left running), the PostgreSQL instance manager
 * built on them (initdb, start, password, shutdown) and the two run sequences, standalone and Patroni, with the seam
 * through which adapters take part in both ({@link dev.pgcontainer.process.RunExtension}) and the running launcher's
 * socket that one-shot commands ask ({@link dev.pgcontainer.process.LauncherRequests}).
 */
package dev.pgcontainer.process;
