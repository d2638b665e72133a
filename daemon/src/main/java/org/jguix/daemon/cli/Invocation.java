package org.jguix.daemon.cli;

import org.jguix.daemon.config.DaemonConfig;

/** What a jguix-daemon command line asks for, decided before anything is started. */
public sealed interface Invocation {
    /** Print {@code text} on stdout and exit 0 ({@code --help}, {@code --usage}, {@code --version}). */
    record Print(String text) implements Invocation { }

    /** Refuse with {@code message} on stderr and exit {@code status}. */
    record Refuse(String message, int status) implements Invocation { }

    /** Start the daemon. */
    record Run(DaemonConfig config) implements Invocation { }
}
