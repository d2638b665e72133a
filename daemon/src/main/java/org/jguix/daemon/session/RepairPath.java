package org.jguix.daemon.session;

import java.io.IOException;
import java.util.Optional;
import org.jguix.build.run.GoalStatus;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.verify.Verifier;

/**
 * {@code LocalStore::repairPath}, VerifyStore's repair of a corrupt or missing path: a repair
 * substitution goal first (fetched into {@code P.tmp}, then replacing {@code P}); if that does not
 * produce it, the path's deriver, if valid, is rebuilt in repair mode (its outcome not checked), else
 * "cannot repair path `P'".
 *
 * <p>One 1.5.0 quirk is kept because clients see it: when the substituter was run and failed (a
 * narinfo whose NAR is gone, say) and the deriver is valid, guix-daemon's second {@code Worker::run}
 * fails its assertion {@code !awake.empty()} and the worker process aborts, so the client's
 * connection ends without a reply ({@code guix gc}: "corrupt input while restoring archive from
 * #<closed: file …>") and nothing is rebuilt; before that, the deriver's repair goal has checked
 * its outputs ("checking path `P'...", "path `P' is corrupted or missing!"). When no substituter
 * offers the path, the rebuild happens.
 */
final class RepairPath {
    static final String ASSERTION = "guix-daemon: nix/libstore/build.cc:4261: void nix::Worker::run(const nix::Goals&):"
            + " Assertion `!awake.empty()' failed.";

    private RepairPath() {
    }

    static Verifier.Repairer of(SessionState s) {
        StoreDatabase db = s.store().db();
        Verifier.Repairer rebuild = Verifier.withoutSubstitutes(db, drv -> BuildOps.repair(s, drv));
        return path -> {
            GoalStatus substituted = BuildOps.substituteForRepair(s, path);
            if (substituted.succeeded()) {
                return;
            }
            Optional<String> deriver = validDeriver(db, path);
            // The second Worker::run: its repair goal checks the deriver's outputs, then would wait for
            // substitutes and aborts instead.
            if (substituted == GoalStatus.SUBSTITUTION_FAILED && deriver.isPresent()
                    && BuildOps.repairGoalWouldSubstitute(s, deriver.get())) {
                throw new WorkerCrash(ASSERTION);
            }
            rebuild.repair(path);
        };
    }

    private static Optional<String> validDeriver(StoreDatabase db, String path) throws IOException {
        Optional<String> deriver = db.queryPathInfoIfValid(path).flatMap(ValidPathInfo::deriver);
        return deriver.isPresent() && db.isValidPath(deriver.get()) ? deriver : Optional.empty();
    }
}
