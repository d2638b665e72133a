package org.jguix.build.spec;


/**
 * How one builder runs: in a chroot with private namespaces ({@link BuildSpec}, modes R, N,
 * U of build-environment.md §1) or as a plain child of the daemon ({@link PlainSpec},
 * {@code --disable-chroot} and builtin builders). What the goal does before and after the
 * builder (build directory, outputs, clean-up) only needs these paths, all in the daemon's
 * view.
 */
public sealed interface BuilderSpec permits BuildSpec, PlainSpec {
    /** {@code $TMPDIR/guix-build-NAME.drv-N}, what "keeping build directory" names. */
    String hostBuildDir();

    /** The directory the builder works in: {@code hostBuildDir/top} with a chroot, else {@code hostBuildDir}. */
    String hostBuildTop();

    /** Where the builder leaves output {@code storePath}: in the chroot, or the store path itself. */
    String hostOutputPath(String storePath);
}
