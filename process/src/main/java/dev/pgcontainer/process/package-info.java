/**
 * Owns supervised child processes (start from an immutable spec, output piped to SLF4J, readiness, stop ladder,
 * privilege drop) and the PostgreSQL instance manager built on them: initdb, start, password, shutdown.
 */
package dev.pgcontainer.process;
