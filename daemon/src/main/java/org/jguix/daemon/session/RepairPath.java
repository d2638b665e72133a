package org.jguix.daemon.session;

import org.jguix.build.run.GoalStatus;
import org.jguix.store.StoreDatabase;
import org.jguix.store.verify.Verifier;

/**
 * {@code LocalStore::repairPath}, VerifyStore's repair of a corrupt or missing path: a repair
 * substitution goal first (fetched into {@code P.tmp}, then replacing {@code P}); if that does not
 * produce it, the path's deriver, if valid, is rebuilt in repair mode (its outcome not checked), else
 * "cannot repair path `P'".
 *
 * <p>Where jguix departs from guix-daemon 1.5.0 on purpose: when the substituter was run and failed
 * (a narinfo whose NAR is gone, say) and the deriver is valid, 1.5.0's second {@code Worker::run}
 * fails its assertion {@code !awake.empty()} and the worker process aborts, so the client's connection
 * ends without a reply and nothing is repaired. That is a crash, not a behaviour to keep: jguix
 * rebuilds the deriver in repair mode, which is what {@code repairPath} sets out to do.
 */
final class RepairPath {
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
            rebuild.repair(path);
        };
    }
}
