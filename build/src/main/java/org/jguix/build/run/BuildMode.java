package org.jguix.build.run;

/** {@code store-api.hh:BuildMode}, the last field of BuildPaths. */
public enum BuildMode {
    NORMAL, REPAIR, CHECK;

    /** guix-daemon casts the number: 1 repair, 2 check, anything else behaves as normal. */
    public static BuildMode fromWire(long mode) {
        return mode == 1 ? REPAIR : mode == 2 ? CHECK : NORMAL;
    }
}
