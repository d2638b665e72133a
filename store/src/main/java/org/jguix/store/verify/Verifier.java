package org.jguix.store.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
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
 * deriver, which {@link Repairer} provides; without one, "cannot repair path `P'".
 */
public final class Verifier {
    private static final byte[] NULL_SHA256 = new byte[32];

    /** {@code LocalStore::repairPath}. */
    @FunctionalInterface
    public interface Repairer {
        void repair(String path) throws IOException;
    }

    /**
     * {@code repairPath} with no substituter (as guix-daemon with {@code --no-substitutes}): a path
     * with a valid deriver would be rebuilt in repair mode, which jguix's builder cannot do yet;
     * otherwise the daemon's "cannot repair path `P'".
     */
    public static Repairer withoutSubstitutes(StoreDatabase db) {
        return path -> {
            Optional<String> deriver = db.queryPathInfoIfValid(path).flatMap(ValidPathInfo::deriver);
            if (deriver.isPresent() && db.isValidPath(deriver.get())) {
                throw new StoreException("repairing `" + path + "' by rebuilding `" + deriver.get()
                        + "' is not supported yet by jguix");
            }
            throw new StoreException("cannot repair path `" + path + "'");
        };
    }

    private final StoreDatabase db;
    private final GcLock gcLock;
    private final Repairer repairer;

    public Verifier(StoreDatabase db, GcLock gcLock, Repairer repairer) {
        this.db = db;
        this.gcLock = gcLock;
        this.repairer = repairer;
    }

    @SuppressWarnings("try") // the exclusive hold is what the block needs, not a value
    public boolean verifyStore(boolean checkContents, boolean repair, StoreLog log) throws IOException {
        log.error("reading the store...");
        StoreLayout layout = db.layout();
        Run run = new Run(repair, log);
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
        boolean errors;

        Run(boolean repair, StoreLog log) {
            this.repair = repair;
            this.log = log;
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
                        try {
                            repairer.repair(path);
                        } catch (StoreException e) {
                            log.error("warning: " + e.getMessage());
                            errors = true;
                        }
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
