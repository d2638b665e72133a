package org.jguix.build.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalInt;

/**
 * The control channel of {@code jguix-sandbox -} (its stderr): {@code pid N} for the builder before
 * its set-up line, {@code slirp N} if slirp4netns was started, and {@code exit N} or
 * {@code signal N} once the builder is gone (see {@code build/src/main/c/jguix-sandbox.c}). Both
 * pids are written before the builder may print its set-up line, the status only when it is gone.
 */
final class ControlLines {
    /** Far more than any line the helper writes; a longer one means the channel is not ours. */
    private static final int MAX_LINE = 256;
    private final InputStream in;

    ControlLines(InputStream in) {
        this.in = in;
    }

    /** What came after the builder's pid: slirp4netns's pid, and how the builder ended. */
    record Rest(OptionalInt slirp, String status) {
        /**
         * The builder's end from {@code exit N} / {@code signal N}; without one the helper failed
         * (its {@code jguix-sandbox:} message went to the log).
         */
        SandboxResult status(int helperExit) throws IOException {
            if (status == null) {
                throw new IOException("sandbox helper exited with status " + helperExit
                        + " without reporting the builder's");
            }
            String[] parts = status.split(" ");
            try {
                if (parts.length == 2 && parts[0].equals("exit")) {
                    return new SandboxResult.Exited(Integer.parseInt(parts[1]));
                }
                if (parts.length == 2 && parts[0].equals("signal")) {
                    return new SandboxResult.Signaled(Integer.parseInt(parts[1]));
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IOException("sandbox helper status: `" + status + "' (expected `exit N' or `signal N')");
        }
    }

    /** The {@code pid N} line, which the helper writes before the builder may start. */
    int builderPid() throws IOException {
        String line = readLine();
        if (line == null || !line.startsWith("pid ")) {
            throw new IOException("sandbox helper control channel: `" + line + "' (expected `pid N')");
        }
        return number(line);
    }

    /** The {@code slirp N} line, which follows the builder's pid when the spec asks for slirp4netns. */
    int slirpPid() throws IOException {
        String line = readLine();
        if (line == null || !line.startsWith("slirp ")) {
            throw new IOException("sandbox helper control channel: `" + line + "' (expected `slirp N')");
        }
        return number(line);
    }

    /** The remaining lines, up to end-of-file (the helper has exited, or is about to). */
    Rest readToEnd() throws IOException {
        OptionalInt slirp = OptionalInt.empty();
        String status = null;
        for (String line; (line = readLine()) != null; ) {
            if (line.startsWith("slirp ")) {
                slirp = OptionalInt.of(number(line));
            } else if (line.startsWith("exit ") || line.startsWith("signal ")) {
                status = line;
            } else if (!line.startsWith("pid ")) {
                throw new IOException("sandbox helper control channel: unexpected line `" + line + "'");
            }
        }
        return new Rest(slirp, status);
    }

    private static int number(String line) throws IOException {
        try {
            return Integer.parseInt(line.substring(line.indexOf(' ') + 1));
        } catch (NumberFormatException e) {
            throw new IOException("sandbox helper control channel: `" + line + "' (expected a number)", e);
        }
    }

    /** One line without its newline; null at end-of-file (a last line without newline counts). */
    private String readLine() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() == MAX_LINE) {
                throw new IOException("sandbox helper control channel: line longer than " + MAX_LINE + " bytes");
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
