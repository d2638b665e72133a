package org.jguix.build.run;

/**
 * guix-daemon's {@code BuildError}: the build of one derivation failed; the goal ends with
 * {@code status} and the request goes on (other goals, keep-going). Anything else thrown
 * while building (an {@code Error}, here an {@link java.io.IOException}) fails the whole
 * BuildPaths operation with its message.
 */
final class BuildFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final GoalStatus status;

    BuildFailure(GoalStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    GoalStatus status() {
        return status;
    }
}
