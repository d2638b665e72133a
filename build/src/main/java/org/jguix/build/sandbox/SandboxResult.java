package org.jguix.build.sandbox;

import java.time.Duration;
import java.util.Objects;

/** How a sandboxed builder ended. */
public sealed interface SandboxResult {
    /**
     * Whether the helper has killed the build user's processes itself: with a build user, its spec asks
     * it to ({@code kill-user}) once the builder is gone and before it writes the status that
     * {@link Exited} and {@link Signaled} come from. Otherwise (set-up failure, our own kill) the caller's
     * {@code killUser} is still needed.
     */
    default boolean userKilled() {
        return this instanceof Exited || this instanceof Signaled;
    }

    /** The builder exited ({@code WIFEXITED}); 0 is success. */
    record Exited(int code) implements SandboxResult {
    }

    /** The builder was killed by a signal it did not get from our timeouts. */
    record Signaled(int signal) implements SandboxResult {
    }

    /**
     * Setting up the child failed before exec: {@code message} is the line guix-daemon
     * would throw, e.g. {@code while setting up the child process: in phase mountProc: ...}.
     */
    record SetupFailed(String message) implements SandboxResult {
        public SetupFailed {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Killed (whole process tree) because the caller's stop condition became true. */
    record Stopped() implements SandboxResult {
    }

    /** Killed (whole process tree) for a limit; {@code limit} is the limit's value. */
    record TimedOut(Kind kind, Duration limit) implements SandboxResult {
        public enum Kind {
            /** {@code build-timeout}: "timed out after N seconds". */
            WALL_CLOCK,
            /** {@code build-max-silent-time}: "timed out after N seconds of silence". */
            SILENCE
        }
    }
}
