package org.jguix.store;

/**
 * Where the long store operations (collect garbage, optimise, verify) send their {@code printMsg}
 * lines: the level is guix-daemon's {@code Verbosity} ({@code types.hh}), the text is the message's
 * exact wording. The daemon forwards them to the client that asked, which filters by its verbosity.
 */
@FunctionalInterface
public interface StoreLog {
    /** {@code lvlError}: shown at every verbosity. */
    int ERROR = 0;
    /** {@code lvlInfo}. */
    int INFO = 1;
    /** {@code lvlTalkative}. */
    int TALKATIVE = 2;
    /** {@code lvlChatty}. */
    int CHATTY = 3;
    /** {@code lvlDebug}. */
    int DEBUG = 4;

    /** A log that drops everything. */
    StoreLog NONE = (level, text) -> { };

    void log(int level, String text);

    /** Several messages at the same level, in order (a log may send them in one write). */
    default void log(int level, java.util.List<String> texts) {
        for (String t : texts) {
            log(level, t);
        }
    }

    default void error(String text) {
        log(ERROR, text);
    }

    default void info(String text) {
        log(INFO, text);
    }

    default void talkative(String text) {
        log(TALKATIVE, text);
    }
}
