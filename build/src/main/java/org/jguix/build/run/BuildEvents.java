package org.jguix.build.run;

/**
 * Where a build's messages go: the requesting client's stderr channel
 * ({@code util.cc:printMsg}, {@code Nest}; {@code DerivationGoal::handleChildOutput}).
 * Levels are guix-daemon's verbosities; the receiver filters by the session's verbosity
 * and adds the nesting prefix of its log type.
 */
public interface BuildEvents {
    int ERROR = 0;
    int INFO = 1;
    int TALKATIVE = 2;
    int CHATTY = 3;
    int DEBUG = 4;

    /** {@code printMsg(level, text)}. */
    void message(int level, String text);

    /**
     * {@code startNest(nest, level, text)}: prints {@code text} like {@link #message} and, if
     * it was shown, indents what follows until the returned nest is closed.
     */
    Nest nest(int level, String text);

    /**
     * A chunk (at most 4096 bytes) of the output of builder {@code pid}, sent raw, without
     * nesting prefix ({@code writeToStderr}); with multiplexed build output it is preceded by
     * {@code @ build-log PID LEN}. The receiver owns the filtering by build verbosity.
     */
    void builderOutput(int pid, byte[] chunk, int off, int len);

    /**
     * What a substitute agent writes while it fetches (progress), sent raw, without nesting prefix
     * ({@code SubstitutionGoal::handleChildOutput}); the receiver filters by build verbosity.
     * Nothing by default: events without a client drop it.
     */
    default void substituterOutput(byte[] bytes) {
    }

    /** An open nesting level. */
    interface Nest extends AutoCloseable {
        @Override
        void close();
    }

    /** Events nobody listens to (tests, daemon-internal builds). */
    BuildEvents NONE = new BuildEvents() {
        @Override
        public void message(int level, String text) {
        }

        @Override
        public Nest nest(int level, String text) {
            return () -> { };
        }

        @Override
        public void builderOutput(int pid, byte[] chunk, int off, int len) {
        }
    };
}
