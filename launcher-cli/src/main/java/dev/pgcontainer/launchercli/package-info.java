/**
 * The thin command line: parses arguments, composes the library modules and the enabled features
 * (dispatching to their subcommands), maps outcomes to exit codes. It is the image ENTRYPOINT; no
 * other module depends on it.
 */
package dev.pgcontainer.launchercli;
