package org.jguix.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuilderSpec;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.hash.Hash;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.nar.ReferenceScanner;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.internal.FileTrees;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.FixedOutputHash;

/**
 * What happens to a successful builder's outputs ({@code DerivationGoal::registerOutputs},
 * build-environment.md §15): each must exist and look untampered; fixed outputs must have
 * their declared hash; each is canonicalised inside the chroot, moved into the store,
 * scanned for references while its NAR hash is computed, checked against
 * {@code allowedReferences} and friends; then all are synced and registered in one
 * transaction with the derivation as deriver. In check mode nothing moves: each output's
 * hash is compared with the registered one.
 */
final class OutputRegistrar {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final long DISK_FULL_BYTES = 8L * 1024 * 1024;
    private static final String CHECK_SUFFIX = "-check";

    private final BuildContext ctx;
    private final BuildOptions options;
    private final BuildEvents events;
    private final StoreDatabase db;
    private final String drvPath;
    private final Derivation drv;
    private final BuilderSpec spec;
    private final BuildMode mode;
    private final int buildUid;
    private final SortedSet<String> inputPaths;

    private HashRewrites rewrites = HashRewrites.NONE;

    /** The outputs a build without chroot wrote to redirected paths ({@code --check}, repair). */
    void redirect(HashRewrites r) {
        this.rewrites = r;
    }

    OutputRegistrar(BuildContext ctx, BuildOptions options, BuildEvents events, String drvPath, Derivation drv,
            BuilderSpec spec, BuildMode mode, int buildUid, SortedSet<String> inputPaths) {
        this.ctx = ctx;
        this.options = options;
        this.events = events;
        this.db = ctx.db();
        this.drvPath = drvPath;
        this.drv = drv;
        this.spec = spec;
        this.mode = mode;
        this.buildUid = buildUid;
        this.inputPaths = inputPaths;
    }

    private Path inChroot(String storePath) {
        return ctx.chroot().host(spec.hostOutputPath(storePath));
    }

    /**
     * CVE-2024-27297: each output of a fixed-output build is replaced by a fresh copy of
     * itself (same modes and owners), so a file descriptor the builder leaked no longer
     * points at what will be registered.
     */
    void refreshFixedOutputs() throws IOException {
        for (DerivationOutput o : drv.outputs().values()) {
            Path out = inChroot(o.path());
            if (Files.exists(out, NOFOLLOW)) {
                Path pivot = Path.of(out + ".tmp");
                TreeDeleter.delete(pivot);
                OutputMoves.copyTree(out, pivot);
                TreeDeleter.delete(out);
                Files.move(pivot, out, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /**
     * Registers the outputs in {@code missing} (or, before the last round, returns what
     * would be registered; from round 2 on it must equal {@code previous}).
     */
    List<ValidPathInfo> register(List<String> missing, int round, int rounds, List<ValidPathInfo> previous)
            throws IOException, BuildFailure {
        List<ValidPathInfo> infos = new ArrayList<>();
        Set<List<Object>> inodesSeen = new HashSet<>();
        List<String> candidates = new ArrayList<>();
        for (DerivationOutput o : drv.outputs().values()) {
            candidates.add(o.path());
        }
        candidates.addAll(inputPaths);
        List<byte[]> hashParts = candidates.stream().map(c -> hashPart(c).getBytes(StandardCharsets.US_ASCII))
                .toList();
        List<String> finalPaths = new ArrayList<>();
        for (DerivationOutput o : drv.outputs().values()) {
            String path = o.path();
            if (!missing.contains(path)) {
                continue;
            }
            Path actual = inChroot(path);
            String redirected = rewrites.redirected().get(path);
            if (redirected != null) {
                Path r = ctx.chroot().host(redirected);
                if (mode == BuildMode.REPAIR && rewrites.bad().contains(path) && Files.exists(r, NOFOLLOW)) {
                    OutputMoves.replaceValidPath(db.layout(), r, path);
                } else if (mode == BuildMode.CHECK) {
                    actual = r;
                }
            }
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(actual, "unix:mode,uid", NOFOLLOW);
            } catch (NoSuchFileException e) {
                throw new BuildFailure(GoalStatus.OUTPUT_REJECTED,
                        "builder for `" + drvPath + "' failed to produce output path `" + path + "'");
            }
            int st = (Integer) attrs.get("mode");
            if (((st & S_IFMT) != S_IFLNK && (st & 022) != 0) || (buildUid != -1 && (Integer) attrs.get("uid") != buildUid)) {
                throw new BuildFailure(GoalStatus.OUTPUT_REJECTED,
                        "suspicious ownership or permission on `" + path + "'; rejecting this build output");
            }
            boolean rewritten = false;
            if (!rewrites.isEmpty()) {
                events.message(BuildEvents.ERROR, "warning: rewriting hashes in `" + path + "'; cross fingers");
                // Canonicalised first, so that no hard link to a file outside the output is rewritten.
                ctx.canonicaliser().canonicalise(actual, buildUid, inodesSeen);
                rewrites.rewrite(db.layout(), actual);
                rewritten = true;
            }
            BuildEvents.Nest nest = events.nest(BuildEvents.TALKATIVE, "scanning for references inside `" + path + "'");
            try {
                if (o.hasHash()) {
                    checkFixedOutput(o, actual, st);
                }
                ctx.canonicaliser().canonicalise(actual, rewritten ? -1 : buildUid, inodesSeen);
                Path scanned = actual;
                if (mode != BuildMode.CHECK) {
                    if (spec instanceof BuildSpec) { // without a chroot the output is in the store already
                        scanned = mode == BuildMode.REPAIR ? OutputMoves.replaceValidPath(db.layout(), actual, path)
                                : OutputMoves.moveIntoStore(db.layout(), actual, path);
                    }
                    finalPaths.add(path);
                }
                ReferenceScanner scanner = new ReferenceScanner(hashParts);
                NarDigest nar = NarHasher.hashPath(scanned, "sha256", scanner);
                TreeSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
                for (int i = 0; i < candidates.size(); i++) {
                    if (scanner.isFound(i)) {
                        refs.add(candidates.get(i));
                    }
                }
                ValidPathInfo info = ValidPathInfo.of(path, nar.digest(), nar.narSize(), refs).withDeriver(drvPath);
                if (mode == BuildMode.CHECK) {
                    compareWithRegistered(info, scanned);
                    continue;
                }
                checkReferences(path, refs);
                infos.add(info);
            } finally {
                nest.close();
            }
        }
        if (mode == BuildMode.CHECK) {
            return infos;
        }
        if (round > 1 && !sameOutputs(previous, infos)) {
            for (int i = 0; i < infos.size(); i++) {
                if (!sameOutput(previous.get(i), infos.get(i))) {
                    String p = infos.get(i).path();
                    throw new BuildFailure(GoalStatus.NOT_DETERMINISTIC, Files.exists(Path.of(p + CHECK_SUFFIX), NOFOLLOW)
                            ? "output `" + p + "' of `" + drvPath + "' differs from `" + p + CHECK_SUFFIX
                                    + "' from previous round"
                            : "output `" + p + "' of `" + drvPath + "' differs from previous round");
                }
            }
        }
        if (options.keepFailed()) {
            for (DerivationOutput o : drv.outputs().values()) {
                Path store = db.layout().file(o.path());
                Path prev = Path.of(store + CHECK_SUFFIX);
                TreeDeleter.delete(prev);
                if (round < rounds) {
                    Files.move(store, prev, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        if (round < rounds) {
            return infos;
        }
        for (String p : finalPaths) {
            FileTrees.syncTree(db.layout().file(p));
        }
        FileTrees.sync(db.layout().storeDirectory());
        db.registerValidPaths(infos);
        return infos;
    }

    private void checkFixedOutput(DerivationOutput o, Path actual, int st) throws IOException, BuildFailure {
        FixedOutputHash expected = FixedOutputHash.parse(o.hashAlgo(), o.hash());
        Hash h = expected.hash();
        // The algorithm's own digest: the name-based NarHasher.hashPath knows no blake2s-256.
        MessageDigest md = h.algorithm().newDigest();
        if (!expected.recursive()) {
            if ((st & S_IFMT) != S_IFREG || (st & 0100) != 0) {
                throw new BuildFailure(GoalStatus.OUTPUT_REJECTED,
                        "output path `" + o.path() + "' should be a non-executable regular file");
            }
            NarHasher.updateFile(actual, md);
        } else {
            NarHasher.updatePath(actual, md);
        }
        byte[] actualDigest = md.digest();
        Hash got = Hash.of(h.algorithm(), actualDigest);
        if (!got.equals(h)) {
            if (options.printBuildTrace()) {
                events.message(BuildEvents.ERROR, "@ hash-mismatch " + o.path() + " " + o.hashAlgo() + " "
                        + h.toBase16or32() + " " + got.toBase16or32());
            }
            throw new BuildFailure(GoalStatus.OUTPUT_REJECTED, "hash mismatch for store item '" + o.path() + "'");
        }
    }

    /** {@code --check}: a differing output is an error of the whole request, as in guix-daemon. */
    private void compareWithRegistered(ValidPathInfo info, Path actual) throws IOException {
        var registered = db.queryPathInfoIfValid(info.path());
        if (registered.isEmpty()) {
            return;
        }
        if (!registered.get().narHash().equals(info.narHash())) {
            if (options.keepFailed()) {
                Path dst = Path.of(db.layout().file(info.path()) + CHECK_SUFFIX);
                TreeDeleter.delete(dst);
                Files.move(actual, dst, StandardCopyOption.ATOMIC_MOVE);
                throw new IOException("derivation `" + drvPath + "' may not be deterministic: output `" + info.path()
                        + "' differs from `" + info.path() + CHECK_SUFFIX + "'");
            }
            throw new IOException("derivation `" + drvPath + "' may not be deterministic: output `" + info.path()
                    + "' differs");
        }
        if (options.printBuildTrace()) {
            events.message(BuildEvents.ERROR, "@ build-succeeded " + drvPath + " -");
        }
    }

    /** {@code allowedReferences}, {@code allowedRequisites}, {@code disallowedReferences}, {@code disallowedRequisites}. */
    private void checkReferences(String path, SortedSet<String> refs) throws IOException, BuildFailure {
        checkReferences(path, refs, "allowedReferences", true, false);
        checkReferences(path, refs, "allowedRequisites", true, true);
        checkReferences(path, refs, "disallowedReferences", false, false);
        checkReferences(path, refs, "disallowedRequisites", false, true);
    }

    private void checkReferences(String path, SortedSet<String> refs, String attr, boolean allowed, boolean recursive)
            throws IOException, BuildFailure {
        String value = drv.env().get(attr);
        if (value == null) {
            return;
        }
        Set<String> spec = new HashSet<>();
        for (String token : value.trim().isEmpty() ? new String[0] : value.trim().split("[ \t\n]+")) {
            if (db.layout().isStorePath(token)) {
                spec.add(token);
            } else if (drv.outputs().containsKey(token)) {
                spec.add(drv.outputs().get(token).path());
            } else {
                throw new BuildFailure(GoalStatus.OUTPUT_REJECTED,
                        "derivation contains an invalid reference specifier `" + token + "'");
            }
        }
        Set<String> used = new TreeSet<>(ByteOrder.COMPARATOR);
        if (recursive) {
            for (String r : refs) {
                if (!r.equals(path)) {
                    used.addAll(db.isValidPath(r) ? DerivationGoal.closure(db, List.of(r)) : Set.of(r));
                }
            }
        } else {
            used.addAll(refs);
        }
        for (String u : used) {
            if (allowed != spec.contains(u)) {
                throw new BuildFailure(GoalStatus.OUTPUT_REJECTED,
                        "output (`" + path + "') is not allowed to refer to path `" + u + "'");
            }
        }
    }

    private static boolean sameOutputs(List<ValidPathInfo> a, List<ValidPathInfo> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameOutput(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code ValidPathInfo::operator==}: path, NAR hash and references. */
    private static boolean sameOutput(ValidPathInfo a, ValidPathInfo b) {
        return a.path().equals(b.path()) && a.narHash().equals(b.narHash()) && a.references().equals(b.references());
    }

    private String hashPart(String storePath) {
        int start = db.layout().storeDirString().length() + 1;
        return storePath.substring(start, start + ReferenceScanner.HASH_LENGTH);
    }

    /** The heuristic of {@code buildDone}: under 8 MiB free on the store or the build directory. */
    static boolean diskNearlyFull(Path store, Path buildDir) {
        for (Path p : List.of(store, buildDir)) {
            try {
                FileStore fs = Files.getFileStore(p);
                if (fs.getUsableSpace() < DISK_FULL_BYTES) {
                    return true;
                }
            } catch (IOException e) {
                // statvfs failed: no verdict, like guix-daemon
            }
        }
        return false;
    }

    /**
     * After a failed build, outputs the builder left in the chroot are made harmless and
     * renamed into the store, unregistered, "for easier debugging" (guix-daemon does it).
     */
    static void moveFailedOutputs(BuildContext ctx, BuildSpec spec, List<String> missing, BuildEvents events) {
        for (String p : missing) {
            Path actual = ctx.chroot().host(spec.chroot().hostPath(p));
            if (!Files.exists(actual, NOFOLLOW)) {
                continue;
            }
            try {
                BuildTree.securePermissions(actual, false);
                Files.move(actual, ctx.db().layout().file(p), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                events.message(BuildEvents.ERROR, e.getMessage());
            }
        }
    }
}
