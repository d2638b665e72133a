package org.jguix.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuilderSpec;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationParser;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreDatabase;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.StoreName;

/**
 * The host side of a build's directories before and after the builder: the
 * {@code exportReferencesGraph} files, and removal or keeping ({@code -K}) of the build
 * tree ({@code DerivationGoal::deleteTmpDir}, build-environment.md §4, §17).
 */
final class BuildTree {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    private BuildTree() {
    }

    /**
     * {@code exportReferencesGraph = "f1 p1 f2 p2 …"}: {@code top/fN} gets the closure of
     * {@code pN} (plus the closures of the outputs of the derivations in it) in
     * {@code makeValidityRegistration} format without hashes or derivers.
     */
    static void writeReferencesGraphs(BuildContext ctx, Derivation drv, BuilderSpec spec)
            throws IOException, BuildFailure {
        String value = drv.env().get("exportReferencesGraph");
        if (value == null) {
            return;
        }
        List<String> tokens = List.of(value.trim().isEmpty() ? new String[0] : value.trim().split("[ \t\n]+"));
        if (tokens.size() % 2 != 0) {
            throw new BuildFailure(GoalStatus.INPUT_REJECTED,
                    "odd number of tokens in `exportReferencesGraph': `" + value + "'");
        }
        StoreDatabase db = ctx.db();
        for (int i = 0; i < tokens.size(); i += 2) {
            String file = tokens.get(i);
            String path = tokens.get(i + 1);
            try {
                StoreName.check(file);
            } catch (IOException e) {
                throw new BuildFailure(GoalStatus.INPUT_REJECTED, e.getMessage());
            }
            if (!db.layout().isInStore(path)) {
                throw new BuildFailure(GoalStatus.INPUT_REJECTED,
                        "file `" + file + "' has a non-store path `" + path + "'");
            }
            String storePath = db.layout().toStorePath(path);
            if (!db.isValidPath(storePath)) {
                throw new BuildFailure(GoalStatus.INPUT_REJECTED,
                        "cannot export references of path `" + path + "' because it is not valid");
            }
            SortedSet<String> closure = DerivationGoal.closure(db, List.of(storePath));
            TreeSet<String> all = new TreeSet<>(ByteOrder.COMPARATOR);
            all.addAll(closure);
            for (String p : closure) {
                if (p.endsWith(".drv")) {
                    Derivation d = new DerivationParser().parse(Files.readAllBytes(db.layout().file(p)));
                    for (var o : d.outputs().values()) {
                        if (db.isValidPath(o.path())) {
                            all.addAll(DerivationGoal.closure(db, List.of(o.path())));
                        }
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String p : all) {
                SortedSet<String> refs = db.queryReferences(p);
                sb.append(p).append('\n').append('\n').append(refs.size()).append('\n');
                for (String r : refs) {
                    sb.append(r).append('\n');
                }
            }
            Files.writeString(ctx.chroot().host(spec.hostBuildTop()).resolve(file), sb, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Gives up the chroot (kept as a spare or removed), removes the build directory unless the build failed and
     * {@code keep-failed} is set: then it is kept ("note: keeping build directory"), opened
     * (0755) and, for a known non-root client, handed to the client and un-nested (with a
     * chroot, the build user's {@code top} becomes the directory).
     */
    static void cleanUp(BuildContext ctx, BuildOptions options, BuildEvents events, BuilderSpec spec, boolean failed)
            throws IOException {
        if (spec instanceof BuildSpec chrooted) {
            ctx.chroot().release(chrooted);
        }
        Path dir = ctx.chroot().host(spec.hostBuildDir());
        if (!failed || !options.keepFailed()) {
            TreeDeleter.delete(dir);
            return;
        }
        events.message(BuildEvents.ERROR, "note: keeping build directory `" + spec.hostBuildDir() + "'");
        Path top = ctx.chroot().host(spec.hostBuildTop());
        Files.setAttribute(top, "unix:mode", 0755, NOFOLLOW);
        int uid = options.clientUid().orElse(-1);
        if (uid <= 0) {
            return;
        }
        int gid = options.clientGid().orElse(0);
        securePermissions(top, true);
        forEachEntry(top, p -> chown(p, uid, gid));
        if (top.equals(dir)) { // no chroot: nothing to un-nest
            return;
        }
        Path pivot = Path.of(dir + ".pivot");
        Files.move(dir, pivot, StandardCopyOption.ATOMIC_MOVE);
        Files.move(pivot.resolve("top"), dir, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(pivot);
    }

    private interface EntryAction {
        void apply(Path p) throws IOException;
    }

    /** Applies {@code action} to {@code root} and everything under it, never following symlinks. */
    private static void forEachEntry(Path root, EntryAction action) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                action.apply(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                action.apply(f);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
        if (gid != 0) {
            Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
        }
    }

    /**
     * {@code secureFilePerms}: clears setuid, setgid and other-write bits everywhere under
     * {@code root} (symlinks untouched); fifos, sockets and devices are refused unless
     * {@code allowSpecialFiles}.
     */
    static void securePermissions(Path root, boolean allowSpecialFiles) throws IOException {
        forEachEntry(root, p -> {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
            int type = mode & S_IFMT;
            if (type == S_IFLNK) {
                return;
            }
            if (type != S_IFREG && type != S_IFDIR) {
                if (allowSpecialFiles) {
                    return;
                }
                throw new IOException("file `" + p + "' has an unsupported type");
            }
            int fixed = mode & 07777 & ~(06000 | 0002);
            if (fixed != (mode & 07777)) {
                Files.setAttribute(p, "unix:mode", fixed, NOFOLLOW);
            }
        });
    }
}
