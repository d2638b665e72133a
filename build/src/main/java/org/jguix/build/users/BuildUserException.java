package org.jguix.build.users;

import java.io.IOException;

/** A build user cannot be had: the group is missing or empty, or every member is busy. */
public final class BuildUserException extends IOException {
    private static final long serialVersionUID = 1L;

    public BuildUserException(String message) {
        super(message);
    }
}
