package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildInputs;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.BuilderEnvironment;
import org.jguix.build.spec.BuilderSpec;
import org.jguix.build.spec.PlainSpec;
import org.jguix.build.spec.PlainSpecs;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.store.StoreDatabase;
import org.jguix.storepath.StorePath;

/**
 * The first half of {@code startBuilder} for one round: decide whether the builder runs in a
 * chroot ({@code useChroot = settings.useChroot && !isBuiltin(drv)}), pick the first free
 * {@code guix-build-NAME.drv-N}, and create the build tree (and chroot) on disk.
 */
final class BuilderPreparation {
    /** The builder's spec, set up on disk, and the outputs it writes elsewhere (without chroot). */
    record Prepared(BuilderSpec spec, HashRewrites rewrites) {
    }

    private BuilderPreparation() {
    }

    static Prepared prepare(BuildContext ctx, BuildOptions options, String drvPath, Derivation drv,
            SortedSet<String> inputPaths, BuildIdentity who, BuildMode mode, List<String> missing)
            throws IOException, BuildFailure {
        StorePath drvStorePath = ctx.settings().storeDir().parsePath(drvPath);
        var settings = ctx.settings().withBuildCores(options.cores());
        boolean builtin = PlainSpecs.isBuiltin(drv.builder());
        boolean chroot = options.useChroot() && !builtin;
        HashRewrites rewrites = chroot ? HashRewrites.NONE : unchrooted(ctx, drvPath, drv, mode, missing);
        for (int n = 0; ; n++) {
            BuildInputs in = new BuildInputs(drvStorePath, drv, inputPaths, who, n);
            // Only fixed-output builds use the network facts (NetworkAccess.of, ChrootPlanner); reading
            // /proc/net/if_inet6 and /etc/hosts for every build was 3% of the daemon's CPU in a batch.
            BuilderSpec spec = chroot ? BuildSpecs.compute(in, settings,
                            in.fixedOutput() ? FixedOutputNetwork.probe(ctx.host()) : ctx.host())
                    : builtin ? PlainSpecs.builtin(in, settings, ctx.host(), PlainSpecs.guixProgram(ctx.host()),
                            options.nixOptions(), builtinOutput(drv, rewrites))
                    : PlainSpecs.unchrooted(in, settings, ctx.host());
            try {
                switch (spec) {
                    case BuildSpec b -> ctx.chroot().prepare(b);
                    case PlainSpec p -> ctx.chroot().prepare(p);
                }
            } catch (FileAlreadyExistsException e) {
                if (!e.getFile().equals(ctx.chroot().host(spec.hostBuildDir()).toString())) {
                    throw e;
                }
                continue;
            }
            try {
                BuildTree.writeReferencesGraphs(ctx, drv, spec);
            } catch (IOException | BuildFailure | RuntimeException e) {
                BuildTree.cleanUp(ctx, options, BuildEvents.NONE, spec, false);
                throw e;
            }
            return new Prepared(spec, rewrites);
        }
    }

    /**
     * {@code startBuilder} without a chroot: {@code HOME} must not exist; valid outputs (all of
     * them with {@code --check}) and, in a repair, corrupt ones that exist are redirected
     * ({@link HashRewrites}). guix-daemon 1.5.0 records {@code rewritesToTmp} but never applies
     * it to the builder's environment or arguments, so only builtins (which get the output path
     * as an argument) write to the redirected path; any other builder still sees the real one —
     * the same here.
     */
    private static HashRewrites unchrooted(BuildContext ctx, String drvPath, Derivation drv, BuildMode mode,
            List<String> missing) throws IOException {
        if (Files.exists(ctx.chroot().host(BuilderEnvironment.HOMELESS_SHELTER), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("directory `" + BuilderEnvironment.HOMELESS_SHELTER + "' exists; please remove it");
        }
        StoreDatabase db = ctx.db();
        TreeSet<String> rewritten = new TreeSet<>();
        TreeSet<String> bad = new TreeSet<>();
        for (DerivationOutput o : drv.outputs().values()) {
            String p = o.path();
            if (mode == BuildMode.CHECK || !missing.contains(p)) {
                rewritten.add(p);
            } else if (mode == BuildMode.REPAIR && db.isValidPath(p)
                    && Files.exists(db.layout().file(p), LinkOption.NOFOLLOW_LINKS)) {
                rewritten.add(p);
                bad.add(p);
            }
        }
        HashRewrites rewrites = HashRewrites.of(db.layout(), drvPath, rewritten, bad);
        rewrites.clear(db.layout());
        return rewrites;
    }

    /** {@code execBuilderOrBuiltin}: the builtin writes {@code out}, or where it is redirected. */
    private static String builtinOutput(Derivation drv, HashRewrites rewrites) {
        DerivationOutput out = drv.outputs().get("out");
        String path = out == null ? "" : out.path();
        return rewrites.redirected().getOrDefault(path, path);
    }
}
