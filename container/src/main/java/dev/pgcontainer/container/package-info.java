/**
 * Owns the image: a Testcontainers container class that starts the pgcontainer image with typed
 * settings and waits on the launcher readiness endpoint. The Dockerfile and compose files live
 * beside this module.
 */
package dev.pgcontainer.container;
