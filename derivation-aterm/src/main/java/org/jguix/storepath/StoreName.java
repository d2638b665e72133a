package org.jguix.storepath;

/**
 * The name part of a store path, validated as {@code store-api.cc:checkStoreName}: not
 * starting with {@code .}, every byte in {@code A-Z a-z 0-9 + - . _ ? =}. Guix accepts the
 * empty name and sets no length limit; we keep the empty name and cap the length at
 * {@link #MAX_LENGTH}, the longest name that still fits a 255-byte file name after the
 * 33-byte {@code HASH-} prefix.
 */
public final class StoreName {
    /** 255 − 32 (hash) − 1 (dash). */
    public static final int MAX_LENGTH = 222;

    private StoreName() {}

    /** Checks {@code name} with the default length limit. */
    public static void check(String name) throws InvalidStorePathException {
        check(name, MAX_LENGTH);
    }

    /** Checks {@code name}; {@code maxLength} bounds its length. */
    public static void check(String name, int maxLength) throws InvalidStorePathException {
        if (name.startsWith(".")) {
            throw new InvalidStorePathException(StoreErrors.nameStartsWithDot(name));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isNameChar(c)) {
                throw new InvalidStorePathException(StoreErrors.invalidNameCharacter(c, name));
            }
        }
        if (name.length() > maxLength) {
            throw new InvalidStorePathException(StoreErrors.nameTooLong(name, maxLength));
        }
    }

    /** True for the bytes {@code checkStoreName} allows. */
    public static boolean isNameChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "+-._?=".indexOf(c) >= 0;
    }
}
