package org.jguix.build.sandbox;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running {@code jguix-sandbox} monitor as {@link SandboxRunner} drives it: its log (stdout and
 * stderr), its control channel, signals, its end. Either a process of its own ({@link #start}) or a
 * child of the long-running {@link SandboxServer}.
 */
interface Monitor extends Closeable {
    /** The builder's stdout and stderr, the set-up line first. */
    InputStream log();

    /** The control channel ({@link ControlLines}). */
    InputStream control();

    /** SIGTERM: the monitor kills the builder's whole tree. */
    void terminate() throws IOException;

    /** SIGKILL (the builder follows through its parent-death signal). */
    void kill() throws IOException;

    /** Waits for the monitor's end; its exit code (128 + signal if killed, -1 if unknown). */
    int waitFor() throws InterruptedException;

    /** Waits at most {@code millis}; whether it has ended. */
    boolean waitFor(long millis) throws InterruptedException;

    boolean isAlive();

    /**
     * {@code jguix-sandbox -} as a process of its own, the spec written to its stdin (used with a
     * launcher, e.g. the tests' sid root, where the server's pipes could not be reached).
     */
    static Monitor start(List<String> command, byte[] spec) throws IOException {
        Process p = new ProcessBuilder(command).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(spec);
        } catch (IOException e) {
            // The helper is gone before reading it all: its output (or its absence) says why.
        }
        return new Monitor() {
            @Override
            public InputStream log() {
                return p.getInputStream();
            }

            @Override
            public InputStream control() {
                return p.getErrorStream();
            }

            @Override
            public void terminate() {
                p.destroy();
            }

            @Override
            public void kill() {
                p.destroyForcibly();
            }

            @Override
            public int waitFor() throws InterruptedException {
                return p.waitFor();
            }

            @Override
            public boolean waitFor(long millis) throws InterruptedException {
                return p.waitFor(millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public void close() throws IOException {
                p.getErrorStream().close();
            }
        };
    }
}
