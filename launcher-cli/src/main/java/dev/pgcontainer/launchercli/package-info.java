/**
 * The thin command line: parses arguments, composes the library modules, maps outcomes to exit codes. It is the
 * image ENTRYPOINT; no other module depends on it.
 */
package dev.pgcontainer.launchercli;
