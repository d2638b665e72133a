package org.jguix.build.run;

import java.io.IOException;
import java.util.List;
import java.util.SortedSet;
import org.jguix.build.sandbox.BuildLimits;
import org.jguix.build.sandbox.SandboxResult;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuilderSpec;
import org.jguix.build.users.BuildUserPool;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;

/**
 * One round of a {@link DerivationGoal}'s build ({@code startBuilder} and {@code buildDone}): a build
 * user, the build tree and chroot, the builder in the sandbox, the outputs registered. A
 * {@link BuildFailure} is reported (message, trace, failure cache) and becomes the goal's status.
 */
final class BuildAttempt {
    private final BuildRun run;
    private final BuildContext ctx;
    private final BuildOptions options;
    private final BuildEvents events;
    private final StoreDatabase db;
    private final String drvPath;
    private final BuildMode mode;
    /** The goal's slirp4netns processes, reported when the goal ends. */
    private final List<Integer> networkHelpers;
    private final Derivation drv;
    private final SortedSet<String> inputPaths;
    private final List<String> missing;
    private final boolean fixedOutput;
    private final int round;
    private final int rounds;
    private List<ValidPathInfo> infos;
    private boolean exitedOk;
    private HashRewrites rewrites = HashRewrites.NONE;
    private boolean diskFull;
    /** The sandbox helper killed the build user's processes after the builder (one spawn less). */
    private boolean userKilled;

    BuildAttempt(BuildRun run, String drvPath, BuildMode mode, List<Integer> networkHelpers, Derivation drv,
            SortedSet<String> inputPaths, List<String> missing, boolean fixedOutput, int round, int rounds) {
        this.run = run;
        this.ctx = run.context();
        this.options = run.options();
        this.events = run.events();
        this.db = ctx.db();
        this.drvPath = drvPath;
        this.mode = mode;
        this.networkHelpers = networkHelpers;
        this.drv = drv;
        this.inputPaths = inputPaths;
        this.missing = missing;
        this.fixedOutput = fixedOutput;
        this.round = round;
        this.rounds = rounds;
    }

    GoalStatus run(List<ValidPathInfo> previous) throws IOException, InterruptedException {
        try (BuildUserPool.Lease lease = ctx.users().isPresent() ? ctx.users().get().acquire() : null) {
            BuildIdentity who = lease != null ? lease.user()
                    : new BuildIdentity.UserNamespace(ctx.daemonUid(), ctx.daemonGid());
            if (lease != null) {
                ctx.sandbox().killUser(lease.user().uid());
            }
            try {
                return build(who, lease != null ? lease.user().uid() : -1, previous);
            } catch (BuildFailure f) {
                return failed(f);
            } finally {
                if (lease != null && !userKilled) {
                    ctx.sandbox().killUser(lease.user().uid());
                }
            }
        }
    }

    private GoalStatus build(BuildIdentity who, int buildUid, List<ValidPathInfo> previous)
            throws IOException, InterruptedException, BuildFailure {
        BuilderPreparation.Prepared prepared = BuilderPreparation.prepare(ctx, options, drvPath, drv, inputPaths,
                who, mode, missing);
        BuilderSpec spec = prepared.spec();
        rewrites = prepared.rewrites();
        boolean succeeded = false;
        try {
            String what = mode == BuildMode.REPAIR ? "repairing path(s) " + DerivationGoal.showPaths(missing)
                    : mode == BuildMode.CHECK ? "checking path(s) " + DerivationGoal.showPaths(missing)
                    : rounds > 1 ? "building path(s) " + DerivationGoal.showPaths(missing) + " (round " + round + "/" + rounds + ")"
                    : "building path(s) " + DerivationGoal.showPaths(missing);
            SandboxResult result;
            BuilderProcess builder = new BuilderProcess(ctx, options, events, drvPath, drv.platform());
            try (BuildEvents.Nest nest = events.nest(BuildEvents.INFO, what)) {
                if (spec instanceof BuildSpec chrooted) {
                    if (fixedOutput) {
                        FixedOutputNetwork.announce(events, chrooted);
                    }
                    events.message(BuildEvents.CHATTY,
                            "setting up chroot environment in `" + chrooted.chroot().rootDir() + "'");
                }
                events.message(BuildEvents.CHATTY, "executing builder `" + drv.builder() + "'");
                result = builder.run(spec, new BuildLimits(options.timeout(), options.maxSilentTime()), nest,
                        run::cancelled);
                builder.networkHelperPid().ifPresent(networkHelpers::add);
            }
            userKilled = result.userKilled();
            switch (result) {
                case SandboxResult.SetupFailed f -> throw new IOException(f.message());
                case SandboxResult.Stopped s when builder.logLimitExceeded() -> {
                    events.message(BuildEvents.ERROR, "building of `" + drvPath
                            + "' killed after writing more than " + options.maxLogSize() + " bytes of log output");
                    trace("@ build-failed " + drvPath + " - timeout");
                    return GoalStatus.LOG_LIMIT_EXCEEDED;
                }
                case SandboxResult.Stopped s -> throw new InterruptedException("build request cancelled");
                case SandboxResult.TimedOut t -> {
                    events.message(BuildEvents.ERROR, "building of `" + drvPath + "' timed out after "
                            + (t.kind() == SandboxResult.TimedOut.Kind.SILENCE
                                    ? t.limit().toSeconds() + " seconds of silence"
                                    // guix-daemon 1.5.0 prints its format placeholder here (fixed after 1.5.0).
                                    : "%2% seconds"));
                    trace("@ build-failed " + drvPath + " - timeout");
                    return GoalStatus.TIMED_OUT;
                }
                case SandboxResult.Exited e when e.code() == 0 -> {
                    exitedOk = true;
                }
                default -> {
                    diskFull = OutputRegistrar.diskNearlyFull(db.layout().storeDirectory(),
                            ctx.chroot().host(spec.hostBuildDir()));
                    if (mode == BuildMode.NORMAL && spec instanceof BuildSpec chrooted) {
                        OutputRegistrar.moveFailedOutputs(ctx, chrooted, missing, events);
                    }
                    if (diskFull) {
                        events.message(BuildEvents.ERROR,
                                "note: build failure may have been caused by lack of free disk space");
                    }
                    throw new BuildFailure(GoalStatus.PERMANENT_FAILURE, "builder for `" + drvPath + "' "
                            + statusText(result));
                }
            }
            OutputRegistrar registrar = new OutputRegistrar(ctx, options, events, drvPath, drv, spec, mode,
                    buildUid, inputPaths);
            if (fixedOutput) {
                registrar.refreshFixedOutputs();
            }
            registrar.redirect(rewrites);
            infos = registrar.register(missing, round, rounds, previous);
            rewrites.clear(db.layout()); // "delete unused redirected outputs"
            if (round == rounds) {
                infos.forEach(i -> run.contents().markGood(i.path()));
            }
            succeeded = true;
            return GoalStatus.BUILT;
        } finally {
            BuildTree.cleanUp(ctx, options, events, spec, !succeeded);
        }
    }

    private GoalStatus failed(BuildFailure f) throws IOException {
        events.message(BuildEvents.ERROR, f.getMessage());
        trace("@ build-failed " + drvPath + " - 1 " + f.getMessage());
        GoalStatus s = f.status() == GoalStatus.NOT_DETERMINISTIC ? GoalStatus.OUTPUT_REJECTED
                : exitedOk ? GoalStatus.OUTPUT_REJECTED
                : fixedOutput || diskFull ? GoalStatus.TRANSIENT_FAILURE
                : GoalStatus.PERMANENT_FAILURE;
        if (options.cacheFailures() && !fixedOutput && !diskFull) {
            for (DerivationOutput o : drv.outputs().values()) {
                db.registerFailedPath(o.path());
            }
        }
        return s;
    }

    /** The registered outputs of this round (after {@link #run} returned {@link GoalStatus#BUILT}). */
    List<ValidPathInfo> infos() {
        return infos;
    }

    private void trace(String line) {
        if (options.printBuildTrace()) {
            events.message(BuildEvents.ERROR, line);
        }
    }

    /** {@code statusToString}. */
    static String statusText(SandboxResult r) {
        return switch (r) {
            case SandboxResult.Exited e -> "failed with exit code " + e.code();
            case SandboxResult.Signaled s -> "failed due to signal " + s.signal() + " (" + Signals.describe(s.signal()) + ")";
            default -> "died abnormally";
        };
    }
}
