package org.jguix.build.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.ChrootEntry;
import org.jguix.build.spec.PlainSpec;
import org.jguix.nar.TreeDeleter;

/**
 * Creates on disk what a {@link BuildSpec} describes before the sandbox starts — the
 * host-side build directory ({@code …-N} root-owned 0700, {@code top/} 0700 owned by the
 * build user) and the chroot directory with its {@code /tmp}, {@code /etc} files, fake
 * store and {@code /dev} skeleton — and removes both afterwards ({@code startBuilder},
 * {@code deleteTmpDir}, {@code AutoDelete(chrootRootTop)}).
 *
 * <p>{@code hostRoot} is where the daemon's {@code /} is in this process's view: {@code /}
 * in production; tests that run the helper inside another root (the Debian sid root of
 * the compat harness) pass that root's directory.
 */
public final class ChrootPreparer {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path hostRoot;
    private final Map<Path, ChrootPool> pools = new ConcurrentHashMap<>();
    private volatile long blockSize;

    public ChrootPreparer(Path hostRoot) {
        this.hostRoot = hostRoot;
    }

    /** This process's path for a path of the daemon's view. */
    public Path host(String daemonPath) {
        return hostRoot.resolve(daemonPath.substring(1));
    }

    /**
     * Creates the build directory and the chroot. The build directory must not exist (the
     * caller picks a free {@code N}); a stale chroot is deleted first, like guix-daemon. The chroot
     * may be a spare one an earlier build left (see {@link ChrootSkeleton}).
     */
    public void prepare(BuildSpec spec) throws IOException {
        int uid = spec.identity() instanceof BuildIdentity.BuildUser u ? u.uid() : ChrootEntry.KEEP;
        int gid = spec.identity() instanceof BuildIdentity.BuildUser u ? u.gid() : ChrootEntry.KEEP;
        Path buildDir = host(spec.hostBuildDir());
        Files.createDirectory(buildDir);
        setMode(buildDir, 0700);
        Path top = host(spec.hostBuildTop());
        Files.createDirectory(top);
        setMode(top, 0700);
        chown(top, uid, gid);

        var chroot = spec.chroot();
        Path rootTop = host(chroot.rootTop());
        Path rootDir = host(chroot.rootDir());
        TreeDeleter.delete(rootTop);
        if (!reuseSpare(spec, rootTop, rootDir)) {
            Files.createDirectory(rootTop);
        }
        setMode(rootTop, 0750);
        if (!Files.isDirectory(rootDir, NOFOLLOW)) {
            Files.createDirectory(rootDir);
        }
        setMode(rootDir, 0750);
        chown(rootDir, chroot.rootDirGid() == ChrootEntry.KEEP ? ChrootEntry.KEEP : 0, chroot.rootDirGid());
        for (ChrootEntry e : chroot.entries()) {
            Path p = host(chroot.rootDir() + e.path());
            switch (e) {
                case ChrootEntry.Directory d -> {
                    if (!Files.isDirectory(p, NOFOLLOW)) {
                        Files.createDirectory(p);
                    }
                    setMode(p, d.mode());
                    chown(p, d.uid(), d.gid());
                }
                case ChrootEntry.File f -> {
                    Files.write(p, f.content().getBytes(StandardCharsets.ISO_8859_1));
                    setMode(p, f.mode());
                }
                case ChrootEntry.Symlink s -> {
                    if (!Files.isSymbolicLink(p)) { // a spare's is kept only with the same target
                        Files.createSymbolicLink(p, Path.of(s.target()));
                    }
                }
            }
        }
    }

    /**
     * Only a build user's chroot is reused: the builder owns nothing the daemon made in it. In
     * a user namespace the builder runs as the daemon's own ids and could have changed anything.
     */
    private static boolean reusable(BuildSpec spec) {
        return spec.identity() instanceof BuildIdentity.BuildUser;
    }

    private ChrootPool pool(BuildSpec spec) {
        return pools.computeIfAbsent(host(spec.storeDir().path()), ChrootPool::new);
    }

    /** Moves a spare chroot to {@code rootTop} and clears it for {@code spec}; false if there is none. */
    private boolean reuseSpare(BuildSpec spec, Path rootTop, Path rootDir) throws IOException {
        if (!reusable(spec)) {
            return false;
        }
        Path spare = pool(spec).take().orElse(null);
        if (spare == null) {
            return false;
        }
        try {
            Files.move(spare, rootTop, StandardCopyOption.ATOMIC_MOVE);
            int owner = (int) Files.getAttribute(rootTop, "unix:uid", NOFOLLOW);
            ChrootSkeleton.of(spec.chroot(), this::host).clear(rootDir, owner, blockSize(rootTop));
            return true;
        } catch (IOException e) {
            // A spare is an optimisation: whatever went wrong with it, start from nothing.
            TreeDeleter.delete(spare);
            TreeDeleter.delete(rootTop);
            return false;
        }
    }

    private long blockSize(Path p) throws IOException {
        long b = blockSize;
        if (b == 0) {
            b = blockSize = Files.getFileStore(p).getBlockSize();
        }
        return b;
    }

    /**
     * Gives up the chroot of a finished build (its sandbox gone): what the builder left is deleted
     * and the rest kept for a later build, or all of it deleted.
     */
    public void release(BuildSpec spec) throws IOException {
        Path rootTop = host(spec.chroot().rootTop());
        if (!reusable(spec) || !Files.isDirectory(rootTop, NOFOLLOW)) {
            TreeDeleter.delete(rootTop);
            return;
        }
        int owner = (int) Files.getAttribute(rootTop, "unix:uid", NOFOLLOW);
        // What the builder left goes now, so that none of it waits in the store; the rest is checked
        // against the next build's skeleton when a build takes the spare.
        Path rootDir = host(spec.chroot().rootDir());
        if (!Files.isDirectory(rootDir, NOFOLLOW)) {
            TreeDeleter.delete(rootTop);
            return;
        }
        for (ChrootEntry e : spec.chroot().entries()) {
            // A build user can create entries only where the daemon's directories let others write.
            if (e instanceof ChrootEntry.Directory d && (d.mode() & 022) != 0) {
                ChrootSkeleton.removeForeign(host(spec.chroot().hostPath(d.path())), owner);
            }
        }
        pool(spec).give(rootTop);
    }

    /** Deletes the spare chroots kept for later builds. */
    public void close() throws IOException {
        for (ChrootPool p : pools.values()) {
            p.clear();
        }
    }

    /**
     * Creates the build directory of a builder without chroot ({@code --disable-chroot}, a
     * builtin builder): 0700, owned by the build user if there is one; it must not exist.
     */
    public void prepare(PlainSpec spec) throws IOException {
        Path buildDir = host(spec.hostBuildDir());
        Files.createDirectory(buildDir);
        setMode(buildDir, 0700);
        if (spec.user().isPresent()) {
            chown(buildDir, spec.user().get().uid(), spec.user().get().gid());
        }
    }

    /** Host path of the output {@code outputPath} as the builder left it in the chroot. */
    public Path outputInChroot(BuildSpec spec, String outputPath) {
        return host(spec.outputs().get(outputPath));
    }

    /** Gives up the chroot ({@link #release}) and deletes the build directory (what remains of them). */
    public void cleanUp(BuildSpec spec) throws IOException {
        release(spec);
        TreeDeleter.delete(host(spec.hostBuildDir()));
    }


    static void setMode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        if (uid != ChrootEntry.KEEP) {
            Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
        }
        if (gid != ChrootEntry.KEEP) {
            Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
        }
    }
}
