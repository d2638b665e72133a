package org.jguix.build.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.Substitutes;
import org.jguix.store.TempRoots;
import org.jguix.storepath.ByteOrder;

/**
 * One BuildPaths (or EnsurePath) request: guix-daemon's {@code Worker} with its goals
 * ({@code LocalStore::buildPaths}). Each goal runs on its own virtual thread and waits for
 * the goals it needs; a goal is made once per request (derivation path, wanted outputs,
 * mode). At most {@link BuildOptions#maxJobs} builders of this request run at once; two
 * requests (of one client or several) wanting the same outputs serialise on the outputs'
 * path locks, so a derivation is built once and the later request finds it valid — as
 * with the real daemon, whose workers are separate processes.
 *
 * <p>Without keep-going the first failed top-level goal stops the request: running
 * builders are killed and waiting goals give up. A failure that is not a
 * {@link BuildFailure} (guix-daemon's plain {@code Error}) ends the whole request with
 * its message, like an exception escaping {@code Worker::run}.
 */
public final class BuildRun {
    /**
     * @param failed     the top-level goals that failed (derivation or store paths)
     * @param exitStatus {@code Worker::exitStatus}: 101 timed out, 100 permanent failure, else 1
     */
    public record Outcome(SortedSet<String> failed, int exitStatus) {
        public boolean ok() {
            return failed.isEmpty();
        }

        /** {@code build of `A', `B' failed}. */
        public String message() {
            return "build of " + DerivationGoal.showPaths(failed) + " failed";
        }
    }

    /**
     * How a goal's waitees ended ({@code Goal::nrFailed}, {@code nrNoSubstituters},
     * {@code nrIncompleteClosure}): {@code failed} counts all three kinds.
     */
    record Tally(int failed, int noSubstituters, int incomplete) {
    }

    private static final long POLL_MS = 250;

    private final BuildContext ctx;
    private final BuildOptions options;
    private final BuildEvents events;
    private final TempRoots.Session tempRoots;
    private final Substitutes substitutes;
    private final List<SubstituteAgent> agents = new ArrayList<>();
    private SubstituteAgent idleAgent;
    private final Semaphore slots;
    private static final ExecutorService SLOT_THREADS =
            Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("build-", 1).factory());
    private final ConcurrentHashMap<String, CompletableFuture<GoalStatus>> goals = new ConcurrentHashMap<>();
    private final ContentsCheck contents;
    private final AtomicReference<IOException> fatal = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile boolean permanentFailure;
    private volatile boolean timedOut;

    public BuildRun(BuildContext ctx, BuildOptions options, BuildEvents events, TempRoots.Session tempRoots) {
        this(ctx, options, events, tempRoots, Substitutes.NONE);
    }

    /** @param substitutes where substitutes come from ({@link Substitutes#NONE}: substitutes off) */
    public BuildRun(BuildContext ctx, BuildOptions options, BuildEvents events, TempRoots.Session tempRoots,
            Substitutes substitutes) {
        this.substitutes = substitutes;
        this.ctx = ctx;
        this.options = options;
        this.events = events;
        this.tempRoots = tempRoots;
        this.slots = new Semaphore(Math.max(1, options.maxJobs()));
        this.contents = new ContentsCheck(ctx.db());
    }

    /**
     * Realises {@code targets}: {@code DRV}, {@code DRV!out1,out2} (those outputs; none
     * named: all) or a plain store path (valid, or substituted).
     */
    public Outcome build(Collection<String> targets, BuildMode mode) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        List<CompletableFuture<GoalStatus>> tops = new ArrayList<>();
        for (String t : targets) {
            int bang = t.indexOf('!');
            String path = bang < 0 ? t : t.substring(0, bang);
            if (path.endsWith(".drv")) {
                TreeSet<String> outputs = new TreeSet<>();
                if (bang >= 0) {
                    for (String o : t.substring(bang + 1).split(",")) {
                        if (!o.isEmpty()) {
                            outputs.add(o);
                        }
                    }
                }
                tops.add(derivationGoal(path, outputs, mode));
                names.add(path);
            } else {
                tops.add(substitutionGoal(t));
                names.add(t);
            }
        }
        return finish(names, tops, GoalStatus::failsRequest);
    }

    /**
     * EnsurePath ({@code LocalStore::ensurePath}): one substitution goal for {@code path}; it fails
     * unless the path ends up valid.
     */
    public Outcome ensurePath(String path) throws IOException, InterruptedException {
        return finish(List.of(path), List.of(substitutionGoal(path)), s -> !s.succeeded());
    }

    /** {@code Worker::run} over the top-level goals, then the outcome: which of them {@code fails}. */
    private Outcome finish(List<String> names, List<CompletableFuture<GoalStatus>> tops,
            java.util.function.Predicate<GoalStatus> fails) throws IOException, InterruptedException {
        TreeSet<String> failed = new TreeSet<>(ByteOrder.COMPARATOR);
        try {
            List<CompletableFuture<GoalStatus>> pending = new ArrayList<>(tops);
            while (!pending.isEmpty()) {
                awaitAny(pending);
                for (int i = 0; i < tops.size(); i++) {
                    CompletableFuture<GoalStatus> f = tops.get(i);
                    if (pending.contains(f) && f.isDone()) {
                        pending.remove(f);
                        if (fails.test(f.join())) {
                            failed.add(names.get(i));
                            if (!options.keepGoing()) {
                                cancel();
                            }
                        }
                    }
                }
                if (fatal.get() != null || cancelled) {
                    break;
                }
            }
        } finally {
            cancel();
            for (CompletableFuture<GoalStatus> g : goals.values()) {
                awaitQuietly(g);
            }
            closeAgents();
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
        return new Outcome(failed, timedOut ? 101 : permanentFailure ? 100 : 1);
    }

    /** Stops the request: builders are killed, waiting goals give up (a client went away, say). */
    public void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    BuildContext context() {
        return ctx;
    }

    BuildOptions options() {
        return options;
    }

    BuildEvents events() {
        return events;
    }

    TempRoots.Session tempRoots() {
        return tempRoots;
    }

    /** {@code pathContentsGood} of repair goals, with its cache. */
    ContentsCheck contents() {
        return contents;
    }

    /** The goal realising {@code outputs} (empty: all) of {@code drvPath} in {@code mode}. */
    CompletableFuture<GoalStatus> derivationGoal(String drvPath, Set<String> outputs, BuildMode mode) {
        String key = mode + " " + drvPath + "!" + String.join(",", new TreeSet<>(outputs));
        return goals.computeIfAbsent(key, k -> start(() -> new DerivationGoal(this, drvPath, outputs, mode).run()));
    }

    Substitutes substitutes() {
        return substitutes;
    }

    /** {@link #substitutionGoal(String, boolean)} without repair. */
    CompletableFuture<GoalStatus> substitutionGoal(String path) {
        return substitutionGoal(path, false);
    }

    /**
     * The {@link SubstitutionGoal} for {@code path} ({@code Worker::makeSubstitutionGoal}), keyed by
     * the path alone as there: a running goal is shared whatever its repair flag. One that ended
     * without the path, or ended before a repair was asked for, is made anew: guix-daemon's is gone
     * once nobody waits for it, so a derivation retrying its substitutes after building its inputs
     * asks again.
     */
    CompletableFuture<GoalStatus> substitutionGoal(String path, boolean repair) {
        return goals.compute("path " + path, (k, old) ->
                old != null && !(old.isDone() && (repair || !old.join().succeeded())) ? old
                        : start(() -> new SubstitutionGoal(this, path, repair).run()));
    }

    /**
     * The substitution half of {@code LocalStore::repairPath} (VerifyStore with repair): a repair
     * substitution goal for {@code path} alone, run to its end; how it ended.
     */
    public GoalStatus substituteForRepair(String path) throws IOException, InterruptedException {
        CompletableFuture<GoalStatus> goal = substitutionGoal(path, true);
        finish(List.of(path), List.of(goal), s -> !s.succeeded());
        return goal.join();
    }

    /**
     * The worker's substitute agent, lent to one goal at a time; when it is out, another one is
     * started ({@code SubstitutionGoal::tryToRun}).
     */
    synchronized SubstituteAgent borrowAgent() throws IOException {
        SubstituteAgent a = idleAgent;
        idleAgent = null;
        if (a == null) {
            a = substitutes.startAgent();
            agents.add(a);
        }
        return a;
    }

    /** {@code SubstitutionGoal::finished}: kept for the next goal unless there is one already (or it died). */
    synchronized void returnAgent(SubstituteAgent a) {
        if (idleAgent == null && !a.broken()) {
            idleAgent = a;
        } else {
            agents.remove(a);
            a.close();
        }
    }

    private synchronized void closeAgents() {
        for (SubstituteAgent a : agents) {
            a.close();
        }
        agents.clear();
        idleAgent = null;
    }

    @FunctionalInterface
    interface GoalBody {
        GoalStatus run() throws IOException, InterruptedException;
    }

    private CompletableFuture<GoalStatus> start(GoalBody body) {
        CompletableFuture<GoalStatus> f = new CompletableFuture<>();
        Thread.ofVirtual().name("goal").start(() -> {
            try {
                GoalStatus s = body.run();
                if (s == GoalStatus.PERMANENT_FAILURE) {
                    permanentFailure = true;
                } else if (s == GoalStatus.TIMED_OUT || s == GoalStatus.LOG_LIMIT_EXCEEDED) {
                    timedOut = true;
                }
                f.complete(s);
            } catch (InterruptedException e) {
                f.complete(GoalStatus.MISC_FAILURE);
            } catch (IOException e) {
                fatal.compareAndSet(null, e);
                cancel();
                f.complete(GoalStatus.MISC_FAILURE);
            } catch (RuntimeException | Error e) {
                fatal.compareAndSet(null, new IOException("internal error while building: " + e, e));
                cancel();
                f.complete(GoalStatus.MISC_FAILURE);
            }
        });
        return f;
    }

    /**
     * Waits for all of {@code deps} ({@code Goal::waiteeDone}) and counts how they ended; without
     * keep-going it stops at the first real failure ({@code ecFailed}). Cancellation interrupts.
     */
    Tally awaitAll(List<CompletableFuture<GoalStatus>> deps) throws InterruptedException {
        List<CompletableFuture<GoalStatus>> pending = new ArrayList<>(deps);
        int failed = 0;
        int none = 0;
        int incomplete = 0;
        while (!pending.isEmpty()) {
            if (cancelled) {
                throw new InterruptedException("build request cancelled");
            }
            awaitAny(pending);
            for (var it = pending.iterator(); it.hasNext(); ) {
                CompletableFuture<GoalStatus> f = it.next();
                if (!f.isDone()) {
                    continue;
                }
                it.remove();
                GoalStatus s = f.join();
                if (!s.succeeded()) {
                    failed++;
                    none += s == GoalStatus.NO_SUBSTITUTERS ? 1 : 0;
                    incomplete += s == GoalStatus.INCOMPLETE_CLOSURE ? 1 : 0;
                    if (s.stopsWaiter() && !options.keepGoing()) {
                        return new Tally(failed, none, incomplete);
                    }
                }
            }
        }
        return new Tally(failed, none, incomplete);
    }

    /**
     * Runs {@code body} holding a build slot ({@code --max-jobs}; waiting for one is given up if
     * the request is cancelled), on a platform thread. Goals are virtual threads, so that thousands
     * of them can wait for their inputs cheaply; but the work in a slot is mostly file-system
     * calls, and each such call on a virtual thread makes the scheduler wake a compensating
     * carrier thread ({@code ForkJoinPool.tryCompensate}): with the scheduler's own work, about a
     * sixth of the daemon's CPU outside the JIT in the 100-build benchmark. At most
     * {@code max-jobs} bodies run at once.
     */
    GoalStatus inSlot(GoalBody body) throws IOException, InterruptedException {
        while (!slots.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
            if (cancelled) {
                throw new InterruptedException("build request cancelled");
            }
        }
        try {
            Future<GoalStatus> f = SLOT_THREADS.submit(body::run);
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return f.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // the body stops on cancellation, not on interrupts: wait for it
                    }
                }
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case InterruptedException ie -> throw ie;
                    case RuntimeException re -> throw re;
                    case Error err -> throw err;
                    default -> throw new IOException(e.getCause());
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            slots.release();
        }
    }

    private static void awaitAny(List<CompletableFuture<GoalStatus>> pending) throws InterruptedException {
        try {
            CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)).get(POLL_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // poll again (goals never complete exceptionally)
        }
    }

    private static void awaitQuietly(CompletableFuture<GoalStatus> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
