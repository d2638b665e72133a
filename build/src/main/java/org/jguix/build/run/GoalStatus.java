package org.jguix.build.run;

/** How a goal ended ({@code BuildResult::Status} plus the substitution goal's outcomes). */
public enum GoalStatus {
    BUILT, SUBSTITUTED, ALREADY_VALID, PERMANENT_FAILURE, INPUT_REJECTED, OUTPUT_REJECTED, TRANSIENT_FAILURE,
    CACHED_FAILURE, TIMED_OUT, MISC_FAILURE, DEPENDENCY_FAILED, LOG_LIMIT_EXCEEDED, NOT_DETERMINISTIC,
    /** A non-derivation path that is invalid and that no substituter offers ({@code ecNoSubstituters}). */
    NO_SUBSTITUTERS;

    public boolean succeeded() {
        return this == BUILT || this == SUBSTITUTED || this == ALREADY_VALID;
    }

    /**
     * Whether the top-level BuildPaths counts this goal as failed: {@code ecNoSubstituters} is
     * not, so an invalid non-derivation path without substitutes "succeeds" (real quirk).
     */
    public boolean failsRequest() {
        return !succeeded() && this != NO_SUBSTITUTERS;
    }
}
