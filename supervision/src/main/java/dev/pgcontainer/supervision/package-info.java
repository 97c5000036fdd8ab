/**
 * Owns supervised child processes in general: start from an immutable spec, output piped to SLF4J
 * line by line, readiness checks, the stop ladder, privilege drop to an OS user, parent-death and
 * POSIX signals, and one-shot commands whose failure carries command, exit code and last output
 * lines. Knows nothing of PostgreSQL.
 */
package dev.pgcontainer.supervision;
