package org.jguix.build.run;

/** How a goal ended ({@code BuildResult::Status} plus the substitution goal's outcomes). */
public enum GoalStatus {
    BUILT, SUBSTITUTED, ALREADY_VALID, PERMANENT_FAILURE, INPUT_REJECTED, OUTPUT_REJECTED, TRANSIENT_FAILURE,
    CACHED_FAILURE, TIMED_OUT, MISC_FAILURE, DEPENDENCY_FAILED, LOG_LIMIT_EXCEEDED, NOT_DETERMINISTIC,
    /** A non-derivation path that is invalid and that no substituter offers ({@code ecNoSubstituters}). */
    NO_SUBSTITUTERS,
    /** A substitutable path some of whose references could not be substituted ({@code ecIncompleteClosure}). */
    INCOMPLETE_CLOSURE,
    /** The substituter was asked and failed ({@code ecFailed} of a substitution goal). */
    SUBSTITUTION_FAILED;

    public boolean succeeded() {
        return this == BUILT || this == SUBSTITUTED || this == ALREADY_VALID;
    }

    /**
     * Whether the top-level BuildPaths counts this goal as failed (only {@code ecFailed}):
     * {@code ecNoSubstituters} and {@code ecIncompleteClosure} are not, so an invalid
     * non-derivation path without substitutes "succeeds" (real quirk).
     */
    public boolean failsRequest() {
        return !succeeded() && this != NO_SUBSTITUTERS && this != INCOMPLETE_CLOSURE;
    }

    /** {@code ecFailed} as a waitee: stops the waiter's other waitees unless keep-going. */
    boolean stopsWaiter() {
        return failsRequest();
    }
}
