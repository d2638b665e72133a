package org.jguix.build.run;

import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.jguix.build.log.BuildLogFile;
import org.jguix.build.sandbox.BuildLimits;
import org.jguix.build.sandbox.SandboxResult;
import org.jguix.build.sandbox.SandboxRunner;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuilderSpec;
import org.jguix.build.spec.PlainSpec;

/**
 * The running builder as the goal sees it ({@code startBuilder} after the fork,
 * {@code handleChildOutput}): opens the log file, announces {@code @ build-started}
 * once the set-up succeeded, and sends every chunk of output to the client and the log,
 * counting it against {@code build-max-log-size}.
 */
final class BuilderProcess {
    private final BuildContext ctx;
    private final BuildOptions options;
    private final BuildEvents events;
    private final String drvPath;
    private final String platform;
    private volatile boolean logLimitExceeded;
    private volatile int networkPid = -1;

    BuilderProcess(BuildContext ctx, BuildOptions options, BuildEvents events, String drvPath, String platform) {
        this.ctx = ctx;
        this.options = options;
        this.events = events;
        this.drvPath = drvPath;
        this.platform = platform;
    }

    /**
     * Runs the builder of {@code spec}; {@code nest} (the "building path(s)" level) is closed
     * once the builder has started, as guix-daemon leaves {@code startBuilder} then.
     */
    SandboxResult run(BuilderSpec spec, BuildLimits limits, BuildEvents.Nest nest, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        try (BuildLogFile log = options.keepLog()
                ? BuildLogFile.create(ctx.logDir(), drvPath, ctx.compression()) : null) {
            String logName = log == null ? "" : log.reportedName();
            int[] pid = {0};
            OutputStream sink = new OutputStream() {
                private long size;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    size += len;
                    if (options.maxLogSize() > 0 && size > options.maxLogSize()) {
                        logLimitExceeded = true;
                        return;
                    }
                    events.builderOutput(pid[0], b, off, len);
                    if (log != null) {
                        log.write(b, off, len);
                    }
                }
            };
            SandboxRunner.Listener listener = new SandboxRunner.Listener() {
                @Override
                public void started(int p) {
                    pid[0] = p;
                    if (options.printBuildTrace()) {
                        events.message(BuildEvents.ERROR, "@ build-started " + drvPath + " - " + platform + " "
                                + logName + " " + p);
                    }
                    nest.close();
                }

                @Override
                public void networkStarted(int p) {
                    networkPid = p;
                }
            };
            BooleanSupplier stop = () -> logLimitExceeded || cancelled.getAsBoolean();
            return switch (spec) {
                case BuildSpec b -> ctx.sandbox().run(b, limits, listener, sink, stop);
                case PlainSpec p -> ctx.sandbox().run(p, limits, listener, sink, stop);
            };
        }
    }

    /** The pid slirp4netns had if the sandbox started one (fixed-output builds). */
    OptionalInt networkHelperPid() {
        return networkPid > 0 ? OptionalInt.of(networkPid) : OptionalInt.empty();
    }

    /** Whether the builder was stopped for writing more than {@code build-max-log-size}. */
    boolean logLimitExceeded() {
        return logLimitExceeded;
    }
}
