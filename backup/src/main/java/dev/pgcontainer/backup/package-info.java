/**
 * Owns the pgBackRest adapter: configuration, stanza management, scheduled backups, restore and point-in-time
 * recovery.
 */
package dev.pgcontainer.backup;
