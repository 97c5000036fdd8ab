/**
 * Owns a PostgreSQL instance and its run: data directory, server directories and user, initdb,
 * start, password, init scripts, local connections, stopping what a killed launcher left running,
 * the run sequences with the seam through which adapters take part ({@link
 * dev.pgcontainer.instance.RunExtension}) and the running launcher's socket that one-shot commands
 * ask ({@link dev.pgcontainer.instance.LauncherRequests}).
 */
package dev.pgcontainer.instance;
