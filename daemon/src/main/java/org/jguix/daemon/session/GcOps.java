package org.jguix.daemon.session;

import java.util.List;
import java.util.TreeSet;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.config.SettingsException;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLog;
import org.jguix.store.gc.GcAction;
import org.jguix.store.gc.GcOptions;
import org.jguix.store.gc.GcResult;
import org.jguix.wire.Operation;
import org.jguix.wire.Reply;
import org.jguix.wire.Request;

/**
 * Store maintenance ({@code performOp}): CollectGarbage ({@code LocalStore::collectGarbage}, see
 * {@code org.jguix.store.gc}), OptimiseStore ({@code LocalStore::optimiseStore}) and VerifyStore
 * ({@code LocalStore::verifyStore}; the reply is whether errors remain). Their messages
 * go to the client at the daemon's levels. {@code gc-keep-outputs} and {@code gc-keep-derivations}
 * are read from the session's settings, which a trusted client may have overridden.
 */
final class GcOps {
    private GcOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.COLLECT_GARBAGE, (Request.CollectGarbage q, SessionState s) -> {
            if (s.peer().remote()) {
                throw new StoreException("Garbage collection is disabled for remote hosts.");
            }
            for (String p : q.pathsToDelete()) {
                s.assertStorePath(p);
            }
            return () -> {
                if (q.ignoreLiveness()) {
                    throw new StoreException("you are not allowed to ignore liveness");
                }
                GcResult r = s.store().collector().collect(options(q, s.options().settings()), log(s));
                return new Reply.GcResult(List.copyOf(r.paths()), r.bytesFreed());
            };
        });
        b.put(Operation.OPTIMISE_STORE, OpHandler.direct((q, s) -> {
            s.store().optimiser().optimiseStore(s.store().db(), s.tempRoots(), log(s));
            return true;
        }));
        b.put(Operation.VERIFY_STORE, OpHandler.direct((q, s) -> {
            if (q.repair() && !s.trusted()) {
                throw new StoreException("you are not privileged to repair paths");
            }
            if (q.repair() && s.builds().isPresent()) {
                return s.store().verifier().verifyStore(q.checkContents(), true, log(s), RepairPath.of(s));
            }
            return s.store().verifier().verifyStore(q.checkContents(), q.repair(), log(s));
        }));
    }

    static GcOptions options(Request.CollectGarbage q, Settings settings) throws StoreException {
        try {
            return new GcOptions(GcAction.of(q.action()), new TreeSet<>(q.pathsToDelete()), q.maxFreed(),
                    settings.getBool("gc-keep-outputs", false), settings.getBool("gc-keep-derivations", true));
        } catch (SettingsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** {@code printMsg(level, …)} of the store layer, to this session's client. */
    static StoreLog log(SessionState s) {
        return new StoreLog() {
            @Override
            public void log(int level, String text) {
                s.log(level, text);
            }

            @Override
            public void log(int level, List<String> texts) {
                s.log(level, texts);
            }
        };
    }
}
