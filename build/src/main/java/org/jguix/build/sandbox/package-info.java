/**
 * Sandbox backend: executes a {@link org.jguix.build.spec.BuildSpec}.
 * {@link org.jguix.build.sandbox.ChrootPreparer} creates the build and chroot directories,
 * {@link org.jguix.build.sandbox.SandboxRunner} starts the static {@code jguix-sandbox}
 * helper (namespaces, mounts, {@code pivot_root}, ids, exec, slirp4netns for fixed-output
 * builds, or plain spawns without namespaces for modes D and B — see its class doc for why a
 * C helper rather than bubblewrap), streams the builder's log and enforces
 * {@link org.jguix.build.sandbox.BuildLimits}. Moving outputs into the store and
 * registering them is the caller's ({@code ChrootPreparer#outputInChroot}).
 */
package org.jguix.build.sandbox;
