package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreDatabase;
import org.jguix.store.PathLocks;
import org.jguix.store.ValidPathInfo;
import org.jguix.storepath.ByteOrder;

/**
 * Realises the outputs of one derivation ({@code build.cc:DerivationGoal}), in
 * guix-daemon's order (build-environment.md §2): load the {@code .drv}; done if the
 * wanted outputs are valid; realise the inputs; lock the outputs and check again; build
 * in the sandbox (once per round); register the outputs ({@link OutputRegistrar}).
 * Messages, traces and their levels are guix-daemon's.
 */
final class DerivationGoal {
    private final BuildRun run;
    private final BuildContext ctx;
    private final BuildOptions options;
    private final BuildEvents events;
    private final StoreDatabase db;
    private final String drvPath;
    private final Set<String> wantedOutputs;
    private final BuildMode mode;
    /** slirp4netns processes of this goal's builds, reported when the goal ends ({@code killChild}). */
    private final List<Integer> networkHelpers = new ArrayList<>();

    DerivationGoal(BuildRun run, String drvPath, Set<String> wantedOutputs, BuildMode mode) {
        this.run = run;
        this.ctx = run.context();
        this.options = run.options();
        this.events = run.events();
        this.db = ctx.db();
        this.drvPath = drvPath;
        this.wantedOutputs = Set.copyOf(wantedOutputs);
        this.mode = mode;
    }

    GoalStatus run() throws IOException, InterruptedException {
        // Temp root first, then the validity check (DerivationGoal::init, then haveDerivation): checked
        // the other way round, a GC between the two could delete the .drv we just found valid.
        run.tempRoots().add(drvPath);
        // init: a missing (or, when not building normally, any) .drv may come from a substitute.
        if (mode != BuildMode.NORMAL || !db.isValidPath(drvPath)) {
            if (run.awaitAll(List.of(run.substitutionGoal(drvPath))).failed() > 0) {
                events.message(BuildEvents.ERROR, "cannot build missing derivation `" + drvPath + "'");
                return GoalStatus.MISC_FAILURE;
            }
        }
        Set<String> wanted = wantedOutputs;
        boolean retried = false;
        while (true) {
            // haveDerivation (the .drv is a temp root already, from the top)
            Derivation drv = load(drvPath);
            for (DerivationOutput o : drv.outputs().values()) {
                run.tempRoots().add(o.path());
            }
            List<String> invalid = invalidOutputs(drv, wanted, mode == BuildMode.REPAIR);
            if (invalid.isEmpty() && mode == BuildMode.NORMAL) {
                return GoalStatus.ALREADY_VALID;
            }
            if (cachedFailure(invalid)) {
                return GoalStatus.CACHED_FAILURE;
            }
            if (mode == BuildMode.REPAIR && invalid.isEmpty()) {
                return RepairClosure.run(run, drvPath, drv, wantedOutputs);
            }
            // outputsSubstituted
            boolean retry = substituteOutputs(drv, invalid) && !retried;
            List<String> stillInvalid = invalidOutputs(drv, wanted, mode == BuildMode.REPAIR);
            if (mode == BuildMode.NORMAL && stillInvalid.isEmpty()) {
                return GoalStatus.SUBSTITUTED;
            }
            if (mode == BuildMode.CHECK && !stillInvalid.isEmpty()) {
                throw new IOException("`" + drvPath + "' is missing outputs; build it normally before using `--check'");
            }
            wanted = Set.of();
            List<CompletableFuture<GoalStatus>> deps = new ArrayList<>();
            for (var e : drv.inputDrvs().entrySet()) {
                deps.add(run.derivationGoal(e.getKey(), e.getValue(),
                        mode == BuildMode.REPAIR ? BuildMode.REPAIR : BuildMode.NORMAL));
            }
            for (String src : drv.inputSrcs()) {
                deps.add(run.substitutionGoal(src));
            }
            int failed = run.awaitAll(deps).failed();
            if (failed > 0) {
                events.message(BuildEvents.ERROR, "cannot build derivation `" + drvPath + "': " + failed
                        + " dependencies couldn't be built");
                return GoalStatus.DEPENDENCY_FAILED;
            }
            if (retry) {
                // inputsRealised with retrySubstitution: the inputs may complete the substitutes' closure.
                // guix-daemon never clears the flag; once is enough for the closure to be there.
                retried = true;
                continue;
            }
            try {
                return tryToBuild(drv, inputPaths(drv));
            } finally {
                FixedOutputNetwork.killed(events, networkHelpers);
            }
        }
    }

    /**
     * {@code haveDerivation}'s substitution goals for the invalid outputs and the first checks of
     * {@code outputsSubstituted}; returns whether some substitutes lacked their references
     * ({@code retrySubstitution}: try them again once the inputs are built).
     */
    private boolean substituteOutputs(Derivation drv, List<String> invalid) throws IOException, InterruptedException {
        if (!run.substitutes().enabled() || !"1".equals(drv.env().getOrDefault("allowSubstitutes", "1"))) {
            return false;
        }
        List<CompletableFuture<GoalStatus>> goals = new ArrayList<>();
        for (String p : invalid) {
            goals.add(run.substitutionGoal(p, mode == BuildMode.REPAIR));
        }
        BuildRun.Tally t = run.awaitAll(goals);
        if (t.failed() > 0 && t.failed() > t.noSubstituters() + t.incomplete() && !options.tryFallback()) {
            throw new IOException("some substitutes for the outputs of derivation `" + drvPath + "' failed"
                    + " (usually happens due to networking issues); try `--fallback' to build derivation from source ");
        }
        return t.incomplete() > 0;
    }

    /** {@code inputsRealised}: closures of the used outputs of each input derivation and of each source. */
    private SortedSet<String> inputPaths(Derivation drv) throws IOException {
        List<String> roots = new ArrayList<>();
        for (var e : drv.inputDrvs().entrySet()) {
            Derivation in = load(e.getKey());
            for (String name : e.getValue()) {
                DerivationOutput o = in.outputs().get(name);
                if (o == null) {
                    throw new IOException("derivation `" + drvPath + "' requires non-existent output `" + name
                            + "' from input derivation `" + e.getKey() + "'");
                }
                roots.add(o.path());
            }
        }
        roots.addAll(drv.inputSrcs());
        return closure(db, roots);
    }

    private GoalStatus tryToBuild(Derivation drv, SortedSet<String> inputPaths)
            throws IOException, InterruptedException {
        boolean buildLocally = mode != BuildMode.NORMAL
                || ("1".equals(drv.env().get("preferLocalBuild"))
                        && BuildSpecs.canBuildLocally(drv.platform(), ctx.settings().thisSystem()));
        if (options.maxJobs() == 0 && !buildLocally) {
            throw new IOException("unable to start any build; either increase `--max-jobs' or enable distributed builds");
        }
        List<String> outputs = drv.outputs().values().stream().map(DerivationOutput::path).toList();
        return run.inSlot(() -> buildLocked(drv, inputPaths, outputs));
    }

    /** {@code tryToBuild} with a build slot: the outputs locked, then built unless valid. */
    private GoalStatus buildLocked(Derivation drv, SortedSet<String> inputPaths, List<String> outputs)
            throws IOException, InterruptedException {
        try (PathLocks.Held locks = PathLocks.lock(db.layout(), outputs, "", m -> events.message(BuildEvents.ERROR, m))) {
            List<String> valid = validPaths(outputs, mode == BuildMode.REPAIR);
            if (mode != BuildMode.CHECK && valid.size() == outputs.size()) {
                locks.setDeletion(true);
                return GoalStatus.ALREADY_VALID;
            }
            List<String> missing = mode == BuildMode.CHECK ? outputs
                    : outputs.stream().filter(p -> !valid.contains(p)).toList();
            for (String p : outputs) {
                // Validity cannot change while the outputs are locked; a corrupt valid output that
                // is being repaired stays until its replacement is ready (replaceValidPath).
                if (!db.isValidPath(p)) {
                    TreeDeleter.delete(db.layout().file(p));
                }
            }
            if (cachedFailure(outputs)) {
                return GoalStatus.CACHED_FAILURE;
            }
            boolean fixedOutput = drv.outputs().values().stream().allMatch(DerivationOutput::hasHash);
            int rounds = fixedOutput || mode == BuildMode.CHECK ? 1 : options.repeat() + 1;
            List<ValidPathInfo> previous = null;
            for (int round = 1; round <= rounds; round++) {
                BuildAttempt attempt = new BuildAttempt(run, drvPath, mode, networkHelpers, drv, inputPaths, missing,
                        fixedOutput, round, rounds);
                GoalStatus s = attempt.run(previous);
                if (s != GoalStatus.BUILT) {
                    return s;
                }
                previous = attempt.infos();
            }
            locks.setDeletion(true);
            if (options.printBuildTrace()) {
                events.message(BuildEvents.ERROR, "@ build-succeeded " + drvPath + " -");
            }
            return GoalStatus.BUILT;
        }
    }

    private void trace(String line) {
        if (options.printBuildTrace()) {
            events.message(BuildEvents.ERROR, line);
        }
    }

    /** {@code pathFailed}: with {@code --cache-failures}, an output that failed before fails the goal. */
    private boolean cachedFailure(Collection<String> paths) throws IOException {
        if (!options.cacheFailures()) {
            return false;
        }
        for (String p : paths) {
            if (db.hasPathFailed(p)) {
                events.message(BuildEvents.ERROR, "builder for `" + p + "' failed previously (cached)");
                trace("@ build-failed " + drvPath + " - cached");
                return true;
            }
        }
        return false;
    }

    /**
     * {@code checkPathValidity(false, checkHash)}: the wanted outputs (empty: all) that are not
     * valid or, with {@code checkHash} (repair), whose contents are not good.
     */
    private List<String> invalidOutputs(Derivation drv, Set<String> wanted, boolean checkHash) throws IOException {
        List<String> invalid = new ArrayList<>();
        for (var e : drv.outputs().entrySet()) {
            if ((wanted.isEmpty() || wanted.contains(e.getKey())) && !good(e.getValue().path(), checkHash)) {
                invalid.add(e.getValue().path());
            }
        }
        return invalid;
    }

    private List<String> validPaths(List<String> paths, boolean checkHash) throws IOException {
        List<String> valid = new ArrayList<>();
        for (String p : paths) {
            if (good(p, checkHash)) {
                valid.add(p);
            }
        }
        return valid;
    }

    private boolean good(String path, boolean checkHash) throws IOException {
        return db.isValidPath(path) && (!checkHash || run.contents().good(path, events));
    }

    private Derivation load(String path) throws IOException {
        Path file = db.layout().file(path);
        try {
            return new DerivationParser().parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("reading derivation `" + path + "': " + e.getMessage(), e);
        }
    }

    /** {@code computeFSClosure} of several paths, over the database's references. */
    static SortedSet<String> closure(StoreDatabase db, Collection<String> roots) throws IOException {
        TreeSet<String> seen = new TreeSet<>(ByteOrder.COMPARATOR);
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (seen.add(p)) {
                todo.addAll(db.queryReferences(p));
            }
        }
        return seen;
    }

    /** {@code showPaths}: each path in {@code `…'}, joined by {@code ", "}, in byte order. */
    static String showPaths(Collection<String> paths) {
        TreeSet<String> sorted = new TreeSet<>(ByteOrder.COMPARATOR);
        sorted.addAll(paths);
        return sorted.stream().map(p -> "`" + p + "'").collect(Collectors.joining(", "));
    }
}
