/**
 * Owns the pure, offline rendering of {@link dev.pgcontainer.core.Settings} into configuration files
 * (postgresql.conf layout, pg_hba.conf, pg_ident.conf) with Mustache templates, and the atomic writer for them.
 * Nothing here starts a process or needs PostgreSQL installed.
 */
package dev.pgcontainer.configrender;
