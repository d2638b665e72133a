package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.jguix.build.run.BuildEvents;
import org.jguix.build.run.BuildMode;
import org.jguix.build.run.BuildOptions;
import org.jguix.build.run.BuildRun;
import org.jguix.build.run.GoalStatus;
import org.jguix.daemon.build.BuildService;
import org.jguix.daemon.config.SettingsException;
import org.jguix.store.StoreException;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * BuildPaths ({@code wopBuildPaths}, {@code LocalStore::buildPaths}): the items are checked as
 * store paths while reading (fatal), repair is for trusted clients only (fatal, as guix-daemon
 * throws it before {@code startWork}); then one {@link BuildRun} realises them, its messages,
 * traces and builder output going to this connection; if the client hangs up meanwhile, the builds
 * are cancelled and their builders killed. A failed goal makes the operation fail with
 * {@code build of `D' failed} and the worker's status (100 permanent, 101 timeout, else 1).
 */
final class BuildOps {
    private BuildOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.BUILD_PATHS, (q, s) -> {
            for (String item : q.items()) {
                s.assertStorePath(item);
            }
            if (q.mode() == 1 && !s.trusted()) {
                throw new StoreException("repairing is a privileged operation");
            }
            return () -> {
                BuildRun.Outcome outcome = realise(s, Operation.BUILD_PATHS,
                        run -> run.build(q.items(), BuildMode.fromWire(q.mode())));
                if (!outcome.ok()) {
                    throw new StatusException(outcome.message(), outcome.exitStatus());
                }
                return true;
            };
        });
        // LocalStore::ensurePath: a substitution goal for an invalid path.
        b.put(Operation.ENSURE_PATH, OpHandler.storePathArg(Request.EnsurePath::path, (q, s) -> {
            if (PathQueryOps.db(s).isValidPath(q.path())) {
                return true;
            }
            if (s.builds().isEmpty()) {
                // A store without a builder (tests) has no worker to run a substitution goal in.
                throw new StatusException(ErrorTexts.cannotCreate(q.path()), 1);
            }
            BuildRun.Outcome outcome = realise(s, Operation.ENSURE_PATH, run -> run.ensurePath(q.path()));
            if (!outcome.ok()) {
                throw new StatusException(ErrorTexts.cannotCreate(q.path()), outcome.exitStatus());
            }
            return true;
        }));
    }

    @FunctionalInterface
    private interface Realisation {
        BuildRun.Outcome run(BuildRun run) throws IOException, InterruptedException;
    }

    /**
     * One {@code Worker}: a {@link BuildRun} whose messages, traces and builder output go to this
     * connection and whose substitutes come from its substituter; cancelled if the client hangs up.
     */
    private static BuildRun.Outcome realise(SessionState s, Operation<?, ?> op, Realisation body) throws IOException {
        BuildService builds = s.builds().orElseThrow(() -> UnsupportedOps.unsupported(op));
        SessionEvents events = new SessionEvents(s);
        BuildRun run = new BuildRun(builds.context(), options(s), events, s.tempRoots(), new SessionSubstitutes(s));
        events.run = run;
        s.watchForHangup(run::cancel);
        try {
            return body.run(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("build interrupted");
        }
    }

    /**
     * {@code repairPath}'s rebuild of a deriver (VerifyStore with repair): a worker of its own
     * on this connection, whose failure is reported by the build's messages only — guix-daemon
     * does not look at the goal's exit code there.
     */
    static void repair(SessionState s, String drvPath) throws IOException {
        BuildService builds = s.builds().orElseThrow(() -> UnsupportedOps.unsupported(Operation.VERIFY_STORE));
        SessionEvents events = new SessionEvents(s);
        BuildRun run = new BuildRun(builds.context(), options(s), events, s.tempRoots());
        events.run = run;
        try {
            run.build(java.util.List.of(drvPath), BuildMode.REPAIR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("repair interrupted");
        }
    }

    /**
     * The substitution of {@code repairPath} (VerifyStore with repair): a repair substitution goal for
     * {@code path} in a worker of its own on this connection, with its substitutes.
     */
    static GoalStatus substituteForRepair(SessionState s, String path) throws IOException {
        BuildRun run = repairWorker(s);
        try {
            return run.substituteForRepair(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("repair interrupted");
        }
    }

    private static BuildRun repairWorker(SessionState s) throws IOException {
        BuildService builds = s.builds().orElseThrow(() -> UnsupportedOps.unsupported(Operation.VERIFY_STORE));
        SessionEvents events = new SessionEvents(s);
        BuildRun run = new BuildRun(builds.context(), options(s), events, s.tempRoots(), new SessionSubstitutes(s));
        events.run = run;
        return run;
    }

    private static BuildOptions options(SessionState s) throws IOException {
        SessionOptions o = s.options();
        try {
            return BuildService.options(o.settings(), o.keepGoing(), o.keepFailed(), o.printBuildTrace(),
                    s.peer().uid() < 0 ? OptionalInt.empty() : OptionalInt.of((int) s.peer().uid()),
                    s.peer().gid() < 0 ? OptionalInt.empty() : OptionalInt.of((int) s.peer().gid()));
        } catch (SettingsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /**
     * A build's messages on this connection's stderr channel. If the client is gone (a write fails),
     * the request is cancelled: its builders are killed, as guix-daemon's are when its worker dies.
     */
    private static final class SessionEvents implements BuildEvents {
        private final SessionState session;
        private volatile BuildRun run;

        SessionEvents(SessionState session) {
            this.session = session;
        }

        @Override
        public void message(int level, String text) {
            try {
                session.stderr().message(level, text);
            } catch (IOException e) {
                clientGone();
            }
        }

        @Override
        public Nest nest(int level, String text) {
            boolean opened;
            try {
                opened = session.stderr().openNest(level, text);
            } catch (IOException e) {
                clientGone();
                opened = false;
            }
            if (!opened) {
                return () -> { };
            }
            boolean[] closed = {false};
            return () -> {
                synchronized (closed) {
                    if (closed[0]) {
                        return;
                    }
                    closed[0] = true;
                }
                try {
                    session.stderr().closeNest();
                } catch (IOException e) {
                    clientGone();
                }
            };
        }

        @Override
        public void builderOutput(int pid, byte[] chunk, int off, int len) {
            SessionOptions o = session.options();
            if (o.verbosity() < o.buildVerbosity()) {
                return;
            }
            byte[] prefix = o.settings().getString("multiplexed-build-output", "false").equals("true")
                    ? ("@ build-log " + pid + " " + len + "\n").getBytes(StandardCharsets.US_ASCII) : new byte[0];
            byte[] frame = new byte[prefix.length + len];
            System.arraycopy(prefix, 0, frame, 0, prefix.length);
            System.arraycopy(chunk, off, frame, prefix.length, len);
            try {
                session.stderr().raw(frame);
            } catch (IOException e) {
                clientGone();
            }
        }

        @Override
        public void substituterOutput(byte[] bytes) {
            SessionOptions o = session.options();
            if (o.verbosity() < o.buildVerbosity()) {
                return;
            }
            try {
                session.stderr().raw(bytes);
            } catch (IOException e) {
                clientGone();
            }
        }

        private void clientGone() {
            BuildRun r = run;
            if (r != null) {
                r.cancel();
            }
        }
    }
}
