/**
 * What a builder sees, as a value: {@link org.jguix.build.spec.BuildSpecs#compute} turns a
 * derivation, the daemon settings, the inputs closure, the build identity and injected
 * host facts into an immutable {@link org.jguix.build.spec.BuildSpec} — builder, argv,
 * environment, chroot contents and mounts, id maps, host and domain name, personality,
 * OOM score, resource limits — matching guix-daemon 1.5.0's {@code startBuilder}
 * (spec: build-environment.md). Tests compare it field by field with the spec and, through
 * the sandbox, with what the real daemon's builder observed ({@code fixtures/build-env/}).
 *
 * <pre>
 *  host view                                     builder's view
 *  STORE/HASH-NAME.drv.chroot/        0750 root
 *    top/                             0750 0:G   /            (chmod 0555 after pivot_root)
 *      tmp/                           1777       /tmp
 *      etc/{passwd,group,hosts}       0644       /etc/...
 *      STORE/                         1775 0:G   /gnu/store   outputs are created here
 *      STORE/INPUT ← bind ro                     every path of the inputs closure
 *      dev/{null,zero,...} ← bind, dev/shm tmpfs, dev/pts devpts, fd → /proc/self/fd...
 *  $TMPDIR/guix-build-NAME.drv-N/     0700 root
 *    top/                             0700 U:G   /tmp/guix-build-NAME.drv-0 (bind rw)
 * </pre>
 */
package org.jguix.build.spec;
