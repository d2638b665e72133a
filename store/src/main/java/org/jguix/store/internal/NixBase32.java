package org.jguix.store.internal;

/**
 * Nix's base-32 encoding ({@code hash.cc:printHash32}): alphabet without e, o, u, t; the last character
 * encodes the lowest bits of the first byte.
 *
 * <p>TODO(derivation-aterm): replace with {@code org.jguix.hash.NixBase32} once that module publishes it;
 * kept private here so the store does not wait on it.
 */
public final class NixBase32 {
    private static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

    private NixBase32() {
    }

    public static String encode(byte[] bytes) {
        int len = bytes.length == 0 ? 0 : (bytes.length * 8 - 1) / 5 + 1;
        StringBuilder s = new StringBuilder(len);
        for (int n = len - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = (bytes[i] & 0xff) >> j;
            if (i + 1 < bytes.length) {
                c |= (bytes[i + 1] & 0xff) << (8 - j);
            }
            s.append(ALPHABET.charAt(c & 0x1f));
        }
        return s.toString();
    }
}
