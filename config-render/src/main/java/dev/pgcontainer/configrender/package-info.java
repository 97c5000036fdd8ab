/**
 * Owns the pure, offline rendering of {@link dev.pgcontainer.core.Settings} into configuration
 * files (postgresql.conf layout, pg_hba.conf, pg_ident.conf) with Mustache templates, and the
 * atomic writer for them. Nothing here starts a process or needs PostgreSQL installed.
 *
 * <p>Entry points: {@link dev.pgcontainer.configrender.ConfigLayout#of} says where the files live,
 * {@link dev.pgcontainer.configrender.ConfigRenderer} turns a {@link
 * dev.pgcontainer.configrender.RenderInput} into {@link
 * dev.pgcontainer.configrender.RenderedFile}s, and {@link
 * dev.pgcontainer.configrender.RenderedFileWriter} puts them on disk. The server is started with
 * {@code -c config_file=$PGCONFIG/pgcontainer.conf}, which holds the base settings, then includes
 * the user's own {@code postgresql.conf} (never written here) and last {@code pgcontainer-env.conf}
 * (the {@code POSTGRESQL_*} variables), so later files win. A feature adds its lines to these
 * files, and files of its own, as a {@link dev.pgcontainer.configrender.ConfigContributor}.
 */
package dev.pgcontainer.configrender;
