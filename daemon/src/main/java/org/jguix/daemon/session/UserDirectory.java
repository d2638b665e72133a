package org.jguix.daemon.session;

import java.util.Optional;
import java.util.OptionalLong;

/** The host's user database ({@code getpwuid}, {@code getpwnam}), injected so tests need no real users. */
public interface UserDirectory {
    Optional<String> nameOf(long uid);

    OptionalLong uidOf(String name);
}
