/**
 * Owns the typed, immutable view of the environment-variable contract ({@link
 * dev.pgcontainer.core.Settings}), its validation (every problem at once, as a {@link
 * dev.pgcontainer.core.ConfigurationException}), secrets that never print, the file-system layout,
 * discovery of the PostgreSQL installation and the error types every other module uses. It depends
 * on no other pgcontainer module and never starts a long-running process.
 */
package dev.pgcontainer.core;
