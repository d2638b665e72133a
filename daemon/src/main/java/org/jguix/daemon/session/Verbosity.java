package org.jguix.daemon.session;

/**
 * Message levels of {@code nix/libutil/types.hh:Verbosity}, as the client sends them in SetOptions
 * and as {@code printMsg} filters them: a message is shown iff its level ≤ the session's verbosity.
 */
public final class Verbosity {
    public static final int ERROR = 0;
    public static final int INFO = 1;
    public static final int TALKATIVE = 2;
    public static final int CHATTY = 3;
    public static final int DEBUG = 4;
    public static final int VOMIT = 5;

    private Verbosity() {
    }
}
