package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jguix.build.substitute.StatusLine;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.SubstituteInfo;
import org.jguix.nar.NarDigest;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.PathLocks;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.internal.FileTrees;

/**
 * Realises one store path through a substitute ({@code build.cc:SubstitutionGoal}), in its states:
 * valid already? ({@code init}); what the substituter knows ({@code tryNext}: nothing →
 * {@link GoalStatus#NO_SUBSTITUTERS}, which callers treat as "build it instead"); its references first
 * ({@code referencesValid}: one failed → {@link GoalStatus#INCOMPLETE_CLOSURE} or a failure); then, in
 * a build slot and with the path locked, the agent fetches it ({@code tryToRun}) and the path is
 * registered with the agent's NAR hash and the queried references and deriver ({@code finished}).
 * Messages and traces are guix-daemon's.
 *
 * <p>A repair goal ({@code makeSubstitutionGoal(path, true)}: repair mode's corrupt outputs, the
 * closure check, VerifyStore's {@code repairPath}) fetches a path even though it is valid: into
 * {@code P.tmp}, which then replaces the corrupt {@code P} ({@code replaceValidPath}).
 */
final class SubstitutionGoal {
    private final BuildRun run;
    private final BuildEvents events;
    private final StoreDatabase db;
    private final String path;
    private final boolean repair;

    SubstitutionGoal(BuildRun run, String path, boolean repair) {
        this.run = run;
        this.events = run.events();
        this.db = run.context().db();
        this.path = path;
        this.repair = repair;
    }

    GoalStatus run() throws IOException, InterruptedException {
        run.tempRoots().add(path);
        if (!repair && db.isValidPath(path)) {
            return GoalStatus.ALREADY_VALID;
        }
        Optional<SubstituteInfo> found = run.substitutes().enabled() ? run.substitutes().info(path) : Optional.empty();
        if (found.isEmpty()) {
            return GoalStatus.NO_SUBSTITUTERS;
        }
        SubstituteInfo info = found.get();
        List<CompletableFuture<GoalStatus>> refs = new ArrayList<>();
        for (String r : info.references()) {
            if (!r.equals(path)) {
                refs.add(run.substitutionGoal(r));
            }
        }
        BuildRun.Tally t = run.awaitAll(refs);
        if (t.failed() > 0) {
            return t.noSubstituters() > 0 || t.incomplete() > 0 ? GoalStatus.INCOMPLETE_CLOSURE
                    : GoalStatus.SUBSTITUTION_FAILED;
        }
        return run.inSlot(() -> {
            try (PathLocks.Held lock = PathLocks.lock(db.layout(), List.of(path), "",
                    m -> events.message(BuildEvents.ERROR, m))) {
                if (!repair && db.isValidPath(path)) {
                    lock.setDeletion(true);
                    return GoalStatus.ALREADY_VALID;
                }
                return fetch(info, lock);
            }
        });
    }

    /** {@code tryToRun} from the message on, and {@code finished}. */
    private GoalStatus fetch(SubstituteInfo info, PathLocks.Held lock) throws IOException, InterruptedException {
        events.message(BuildEvents.INFO, "fetching path `" + path + "'...");
        String destPath = repair ? path + ".tmp" : path;
        Path dest = repair ? Path.of(db.layout().file(path) + ".tmp") : db.layout().file(path);
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            TreeDeleter.delete(dest);
        }
        SubstituteAgent agent = run.borrowAgent();
        String status;
        try {
            trace("@ substituter-started " + path + " substitute");
            status = agent.substitute(path, destPath, new SubstituteAgent.Progress() {
                @Override
                public void output(byte[] bytes) {
                    events.substituterOutput(bytes);
                }

                @Override
                public void error(String text) {
                    events.message(BuildEvents.ERROR, text);
                }
            }, run::cancelled, new SubstituteAgent.Limits(run.options().maxSilentTime(), run.options().timeout()));
        } catch (SubstituteAgent.TimedOut t) {
            // Worker::waitForInput, then SubstitutionGoal::timedOut
            events.message(BuildEvents.ERROR, "substitution of `" + path + "' timed out after " + t.seconds()
                    + (t.silence() ? " seconds of silence" : " seconds"));
            trace("@ substituter-failed " + path + " timeout");
            return GoalStatus.SUBSTITUTION_FAILED;
        } finally {
            run.returnAgent(agent);
        }
        NarDigest hash;
        try {
            hash = StatusLine.judge(status, path, dest);
        } catch (StatusLine.Failed f) {
            if (!f.hashMismatchTrace().isEmpty()) {
                trace(f.hashMismatchTrace());
            }
            events.message(BuildEvents.INFO, f.getMessage());
            trace("@ substituter-failed " + path + " " + status + " " + f.getMessage());
            return GoalStatus.SUBSTITUTION_FAILED;
        }
        // On disk before it is declared valid, as every other way into the store (StoreWriter,
        // OutputRegistrar): what the agent restored, then the store directory's entry for it.
        FileTrees.syncTree(dest);
        if (repair) {
            OutputMoves.replaceValidPath(db.layout(), dest, path);
        }
        FileTrees.sync(db.layout().storeDirectory());
        ValidPathInfo registered = ValidPathInfo.of(path, hash.digest(), hash.narSize(), new TreeSet<>(info.references()))
                .withDeriver(info.deriver().orElse(null));
        db.registerValidPaths(List.of(registered));
        lock.setDeletion(true);
        run.contents().markGood(path);
        events.message(BuildEvents.CHATTY, "substitution of path `" + path + "' succeeded");
        trace("@ substituter-succeeded " + path);
        return GoalStatus.SUBSTITUTED;
    }

    private void trace(String line) {
        if (run.options().printBuildTrace()) {
            events.message(BuildEvents.ERROR, line);
        }
    }
}
