package org.jguix.daemon.cli;

/**
 * A command line argp would reject. The message is argp's own first line, without the program
 * name; argp prints it as {@code PROG: MESSAGE} followed by a "Try ..." hint and exits 64.
 */
public final class ArgpUsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ArgpUsageException(String message) {
        super(message);
    }
}
