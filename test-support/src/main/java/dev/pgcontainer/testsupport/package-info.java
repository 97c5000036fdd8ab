/**
 * Owns what the tests of every module share: where the PostgreSQL server binaries are ({@link
 * dev.pgcontainer.testsupport.ServerBinaries}), a fake installation that runs nothing ({@link
 * dev.pgcontainer.testsupport.FakeInstallation}), free ports ({@link
 * dev.pgcontainer.testsupport.FreePorts}) and the sandbox a real server runs in ({@link
 * dev.pgcontainer.testsupport.Sandbox}, handed out by {@link
 * dev.pgcontainer.testsupport.SandboxExtension}). A test-scoped dependency only; it depends on no
 * other pgcontainer module, so that core's tests can use it too.
 */
package dev.pgcontainer.testsupport;
