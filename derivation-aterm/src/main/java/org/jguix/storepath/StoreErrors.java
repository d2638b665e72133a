package org.jguix.storepath;

/** The client-visible texts of this package, one place, matching guix-daemon's wording. */
final class StoreErrors {
    private StoreErrors() {}

    /** {@code checkStoreName}. */
    static String nameStartsWithDot(String name) {
        return "invalid name: `" + name + "' (can't begin with dot)";
    }

    /** {@code checkStoreName}. */
    static String invalidNameCharacter(char c, String name) {
        return "invalid character `" + c + "' in name `" + name + "'";
    }

    /** Ours: guix has no limit, but no file system takes a longer base name. */
    static String nameTooLong(String name, int max) {
        return "invalid name: `" + name + "': length " + name.length() + " (expected ≤ " + max + ")";
    }

    /** {@code assertStorePath}. */
    static String notInStore(String path) {
        return "path `" + path + "' is not in the store";
    }

    /** Ours: guix's {@code store-path-hash-part} also insists on the nix-base32 alphabet. */
    static String badHashPart(String path) {
        return "path `" + path + "' is not a store path: bad hash part (expected 32 nix-base32 characters and `-')";
    }

    static String badStoreDir(String dir, String why) {
        return "invalid store directory `" + dir + "': " + why;
    }
}
