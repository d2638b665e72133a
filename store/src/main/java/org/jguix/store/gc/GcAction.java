package org.jguix.store.gc;

/**
 * {@code store-api.hh:GCOptions::GCAction}, with the integer CollectGarbage carries on the wire.
 * guix-daemon casts any integer to the enum; {@link #OTHER} is what it then does for an unknown one
 * (the scan of {@link #RETURN_DEAD} without its result, then the trash step, which fails).
 */
public enum GcAction {
    RETURN_LIVE,
    RETURN_DEAD,
    DELETE_DEAD,
    DELETE_SPECIFIC,
    OTHER;

    /** The action of wire code {@code code}. */
    public static GcAction of(int code) {
        return code >= 0 && code < OTHER.ordinal() ? values()[code] : OTHER;
    }

    /** {@code shouldDelete}. */
    public boolean deletes() {
        return this == DELETE_DEAD || this == DELETE_SPECIFIC;
    }
}
