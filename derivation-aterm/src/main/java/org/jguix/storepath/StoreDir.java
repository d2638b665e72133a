package org.jguix.storepath;

import org.jguix.hash.InvalidHashException;
import org.jguix.hash.NixBase32;

/**
 * The store directory ({@code settings.nixStore}, {@code /gnu/store} by default in Guix):
 * an absolute, normalised path without trailing slash. It is part of every hashed
 * store-path string, so it travels with every {@link StorePath}; nothing here assumes a
 * particular value.
 */
public final class StoreDir {
    private final String path;

    private StoreDir(String path) {
        this.path = path;
    }

    /** Validates {@code path}: absolute, no trailing slash, no empty, {@code .} or {@code ..} component. */
    public static StoreDir of(String path) throws InvalidStorePathException {
        if (!path.startsWith("/") || path.length() < 2) {
            throw new InvalidStorePathException(StoreErrors.badStoreDir(path, "not an absolute path below /"));
        }
        for (String component : path.substring(1).split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new InvalidStorePathException(StoreErrors.badStoreDir(path, "not normalised"));
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new InvalidStorePathException(StoreErrors.badStoreDir(path, "character U+"
                        + Integer.toHexString(c) + " (expected a byte, not NUL)"));
            }
        }
        return new StoreDir(path);
    }

    /** The directory, e.g. {@code /gnu/store}. */
    public String path() {
        return path;
    }

    /** {@code isInStore}: strictly below this directory (anything may follow). */
    public boolean isInStore(String p) {
        return p.length() > path.length() + 1 && p.startsWith(path) && p.charAt(path.length()) == '/';
    }

    /** {@code isStorePath}: directly inside this directory, no further {@code /}. */
    public boolean isStorePath(String p) {
        return isInStore(p) && p.indexOf('/', path.length() + 1) < 0;
    }

    /**
     * Parses {@code DIR/HASH-NAME}: a store path ({@code assertStorePath}), 32 nix-base32
     * characters and a dash (as Guile's {@code store-path-hash-part} demands), and a name
     * that passes {@link StoreName#check}.
     */
    public StorePath parsePath(String p) throws InvalidStorePathException {
        if (!isStorePath(p)) {
            throw new InvalidStorePathException(StoreErrors.notInStore(p));
        }
        int start = path.length() + 1;
        int dash = start + StorePath.HASH_PART_LENGTH;
        if (p.length() <= dash || p.charAt(dash) != '-') {
            throw new InvalidStorePathException(StoreErrors.badHashPart(p));
        }
        byte[] digest;
        try {
            digest = NixBase32.decode(p.substring(start, dash), StorePath.DIGEST_SIZE);
        } catch (InvalidHashException e) {
            throw new InvalidStorePathException(StoreErrors.badHashPart(p));
        }
        return StorePath.of(this, digest, p.substring(dash + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreDir d && d.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
