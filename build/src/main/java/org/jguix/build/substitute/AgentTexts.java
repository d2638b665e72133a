package org.jguix.build.substitute;

/** guix-daemon's texts about its substituter, in one place ({@code local-store.cc}, {@code build.cc}). */
final class AgentTexts {
    private AgentTexts() {
    }

    /** {@code getLineFromSubstituter}: end-of-file on the agent's messages. */
    static String diedUnexpectedly(String program) {
        return "`" + program + " substitute' died unexpectedly";
    }

    /** {@code readFull} on the replies: end-of-file there. */
    static final String UNEXPECTED_EOF = "unexpected end-of-file";

    /** {@code getIntLineFromSubstituter}. */
    static String integerExpected(String line) {
        return "integer expected from stream: " + line;
    }

    /** {@code querySubstitutablePathInfos}. */
    static String unexpectedPath(String path) {
        return "got unexpected path `" + path + "' from substituter";
    }

}
