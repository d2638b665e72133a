package org.jguix.daemon.config;

/** A setting or command-line value the daemon refuses; the message is guix-daemon's text. */
public final class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
