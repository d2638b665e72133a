package org.jguix.store.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.store.GcLock;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.ValidPathInfo;

/**
 * {@code LocalStore::verifyStore} (VerifyStore, {@code guix gc --verify[=contents,repair]}):
 *
 * <ol>
 * <li>"reading the store..." (Error); under the GC lock, exclusively: list the store directory, then
 *     "checking path existence..." (Info) and {@code verifyPath} for every valid path, in order — a
 *     name that is not a store path is invalidated ("path `P' is not in the store"); a path missing
 *     from disk is invalidated after its referrers ("path `P' disappeared, removing from
 *     database...") unless one of them is still present ("… but it still has valid referrers!",
 *     an error unless repaired);</li>
 * <li>with {@code checkContents}, without the lock: "checking hashes..." (Info), then each present
 *     path's NAR hash is recomputed with its recorded algorithm: a mismatch is "path `P' was
 *     modified! expected hash `X', got `Y'" (base16); an all-zero hash is filled in ("fixing missing
 *     hash on `P'"), a zero size too ("updating size field on `P' to N").</li>
 * </ol>
 * Returns whether errors remain (the reply's int). Repairing needs a substituter or a rebuild of the
 * deriver, which {@link Repairer} provides; without a deriver, "cannot repair path `P'".
 */
public final class Verifier {
    private static final byte[] NULL_SHA256 = new byte[32];

    /** {@code LocalStore::repairPath}. */
    @FunctionalInterface
    public interface Repairer {
        void repair(String path) throws IOException;
    }

    /** Rebuilds a derivation in repair mode (BuildPaths mode 1 of {@code drvPath}); its outcome is not checked. */
    @FunctionalInterface
    public interface RepairBuilder {
        void rebuild(String drvPath) throws IOException;
    }

    /**
     * {@code repairPath} with no substituter (as guix-daemon with {@code --no-substitutes}): a path
     * with a valid deriver is rebuilt in repair mode by {@code builder} — whether that works is not
     * checked, as in guix-daemon, whose next verification tells —; otherwise "cannot repair path `P'".
     */
    public static Repairer withoutSubstitutes(StoreDatabase db, RepairBuilder builder) {
        return path -> {
            Optional<String> deriver = db.queryPathInfoIfValid(path).flatMap(ValidPathInfo::deriver);
            if (deriver.isPresent() && db.isValidPath(deriver.get())) {
                builder.rebuild(deriver.get());
                return;
            }
            throw new StoreException("cannot repair path `" + path + "'");
        };
    }

    /** {@link #withoutSubstitutes(StoreDatabase, RepairBuilder)} for a store that cannot build. */
    public static Repairer withoutSubstitutes(StoreDatabase db) {
        return withoutSubstitutes(db, drv -> {
            throw new StoreException("repairing by rebuilding `" + drv + "' is not supported without a builder");
        });
    }

    private final StoreDatabase db;
    private final GcLock gcLock;
    private final Repairer repairer;

    public Verifier(StoreDatabase db, GcLock gcLock, Repairer repairer) {
        this.db = db;
        this.gcLock = gcLock;
        this.repairer = repairer;
    }

    public boolean verifyStore(boolean checkContents, boolean repair, StoreLog log) throws IOException {
        return verifyStore(checkContents, repair, log, repairer);
    }

    /**
     * VerifyStore repairing with {@code repairer} (the session's: a repair rebuild reports to the
     * client that asked). A path that disappeared but still has referrers is repaired after the
     * existence check, not during it as in guix-daemon: that check holds the GC lock
     * exclusively, and a rebuild takes temporary roots, which in one process would wait for it.
     */
    @SuppressWarnings("try") // the exclusive hold is what the block needs, not a value
    public boolean verifyStore(boolean checkContents, boolean repair, StoreLog log, Repairer repairer)
            throws IOException {
        log.error("reading the store...");
        StoreLayout layout = db.layout();
        Run run = new Run(repair, log, repairer);
        try (GcLock.Hold exclusive = gcLock.exclusive()) {
            // guix-daemon lists the directory first; jguix reads the valid paths first, because adds go
            // on meanwhile and a path is on disk before it is valid: one registered after the listing
            // must not look as if it had disappeared.
            SortedSet<String> valid = db.queryAllValidPaths();
            Set<String> names = new HashSet<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.storeDirectory())) {
                entries.forEach(e -> names.add(e.getFileName().toString()));
            }
            log.info("checking path existence...");
            for (String p : valid) {
                run.verifyPath(p, names);
            }
        }
        for (String p : run.disappeared) {
            try {
                repairer.repair(p);
            } catch (StoreException e) {
                log.error("warning: " + e.getMessage());
                run.errors = true;
            }
        }
        if (checkContents) {
            log.info("checking hashes...");
            for (String p : run.present) {
                run.checkContents(p);
            }
        }
        return run.errors;
    }

    /** The state of one verification. */
    private final class Run {
        final boolean repair;
        final StoreLog log;
        final Set<String> done = new HashSet<>();
        final SortedSet<String> present = new TreeSet<>();
        /** Disappeared paths with referrers, to repair once the existence check is over. */
        final List<String> disappeared = new ArrayList<>();
        final Repairer repairer;
        boolean errors;

        Run(boolean repair, StoreLog log, Repairer repairer) {
            this.repair = repair;
            this.log = log;
            this.repairer = repairer;
        }

        /** {@code verifyPath}. */
        void verifyPath(String path, Set<String> names) throws IOException {
            if (!done.add(path)) {
                return;
            }
            StoreLayout layout = db.layout();
            if (!layout.isStorePath(path)) {
                log.error("path `" + path + "' is not in the store");
                db.invalidatePath(path);
                return;
            }
            if (!names.contains(path.substring(layout.storeDirString().length() + 1))) {
                boolean canInvalidate = true;
                for (String r : db.queryReferrers(path)) {
                    if (!r.equals(path)) {
                        verifyPath(r, names);
                        if (present.contains(r)) {
                            canInvalidate = false;
                        }
                    }
                }
                if (canInvalidate) {
                    log.error("path `" + path + "' disappeared, removing from database...");
                    db.invalidatePath(path);
                } else {
                    log.error("path `" + path + "' disappeared, but it still has valid referrers!");
                    if (repair) {
                        disappeared.add(path);
                    } else {
                        errors = true;
                    }
                }
                return;
            }
            present.add(path);
        }

        /** One path of the "checking hashes..." phase. */
        void checkContents(String path) throws IOException {
            try {
                ValidPathInfo info = db.queryPathInfo(path);
                log.talkative("checking contents of `" + path + "'");
                NarDigest current = NarHasher.hashPath(db.layout().file(path), info.hashAlgorithm());
                byte[] recorded = info.narDigest();
                boolean nullHash = info.hashAlgorithm().equals("sha256") && Arrays.equals(recorded, NULL_SHA256);
                if (!nullHash && !Arrays.equals(recorded, current.digest())) {
                    log.error("path `" + path + "' was modified! expected hash `" + HexFormat.of().formatHex(recorded)
                            + "', got `" + HexFormat.of().formatHex(current.digest()) + "'");
                    if (repair) {
                        repairer.repair(path);
                    } else {
                        errors = true;
                    }
                    return;
                }
                String hash = info.narHash();
                long size = info.narSize();
                boolean update = false;
                if (nullHash) {
                    log.error("fixing missing hash on `" + path + "'");
                    hash = info.hashAlgorithm() + ":" + HexFormat.of().formatHex(current.digest());
                    update = true;
                }
                if (size == 0) {
                    log.error("updating size field on `" + path + "' to " + current.narSize());
                    size = current.narSize();
                    update = true;
                }
                if (update) {
                    db.updatePathInfo(path, hash, size);
                }
            } catch (IOException e) {
                // It may have been collected meanwhile: then only a warning.
                Optional<ValidPathInfo> still = db.queryPathInfoIfValid(path);
                log.error((still.isPresent() ? "error: " : "warning: ") + message(e));
                errors = true;
            }
        }
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
