package org.jguix.daemon.cli;

import java.util.Objects;

/**
 * One option of a GNU argp-style command line.
 *
 * @param longName  name without the leading {@code --}
 * @param shortName short option character, or {@code 0} for none
 * @param argument  whether the option takes an argument
 */
public record ArgpOption(String longName, char shortName, Argument argument) {
    /** argp's three kinds: no argument, mandatory ({@code --x=V} or {@code --x V}), optional ({@code --x=V} only). */
    public enum Argument { NONE, REQUIRED, OPTIONAL }

    public ArgpOption {
        Objects.requireNonNull(longName, "longName");
        Objects.requireNonNull(argument, "argument");
    }

    static ArgpOption flag(String longName) {
        return new ArgpOption(longName, (char) 0, Argument.NONE);
    }

    static ArgpOption required(String longName) {
        return new ArgpOption(longName, (char) 0, Argument.REQUIRED);
    }

    static ArgpOption optional(String longName) {
        return new ArgpOption(longName, (char) 0, Argument.OPTIONAL);
    }

    ArgpOption withShort(char c) {
        return new ArgpOption(longName, c, argument);
    }
}
