package org.jguix.hash;

/**
 * Nix's base32 ({@code hash.cc:printHash32}/{@code parseHash32}, guix {@code base32.scm}).
 *
 * <p>Alphabet {@code 0123456789abcdfghijklmnpqrsvwxyz} (no e, o, u, t). An n-byte value
 * takes {@code ceil(8n/5)} digits. The bytes form a little-endian bit string (byte 0 holds
 * bits 0–7); digit k (from the right, 0-based) holds bits 5k..5k+4, and the string is
 * printed most significant digit first:
 * <pre>
 *   for k = L-1 down to 0:  b = 5k; i = b/8; j = b%8
 *       c = (h[i] >> j) | (i+1 &lt; n ? h[i+1] &lt;&lt; (8-j) : 0);  emit alphabet[c &amp; 31]
 * </pre>
 * The C++ decoder silently drops bits beyond the value, so several strings decode to the
 * same hash; {@link #decode} rejects those (the first digit must not carry such bits).
 */
public final class NixBase32 {
    /** Index = digit value ({@code hash.hh:base32Chars}). */
    public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

    private static final byte[] DIGIT = new byte[128];

    static {
        java.util.Arrays.fill(DIGIT, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGIT[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private NixBase32() {}

    /** Number of digits for {@code byteCount} bytes ({@code hashLength32}). */
    public static int encodedLength(int byteCount) {
        return byteCount == 0 ? 0 : (byteCount * 8 - 1) / 5 + 1;
    }

    /** True if {@code c} is a nix-base32 digit. */
    public static boolean isDigit(char c) {
        return c < 128 && DIGIT[c] >= 0;
    }

    /** Encodes {@code bytes}, most significant digit first ({@code printHash32}). */
    public static String encode(byte[] bytes) {
        int len = encodedLength(bytes.length);
        char[] out = new char[len];
        for (int k = len - 1; k >= 0; k--) {
            int b = 5 * k;
            int i = b / 8;
            int j = b % 8;
            int c = (bytes[i] & 0xff) >>> j;
            if (i + 1 < bytes.length) {
                c |= (bytes[i + 1] & 0xff) << (8 - j);
            }
            out[len - 1 - k] = ALPHABET.charAt(c & 0x1f);
        }
        return new String(out);
    }

    /**
     * Decodes exactly {@code encodedLength(byteCount)} digits into {@code byteCount} bytes
     * ({@code parseHash32}), rejecting wrong lengths, foreign characters and digits that
     * carry bits beyond the value.
     */
    public static byte[] decode(String s, int byteCount) throws InvalidHashException {
        int len = encodedLength(byteCount);
        if (s.length() != len) {
            throw new InvalidHashException("nix-base32 string `" + s + "': length " + s.length()
                    + " (expected " + len + " for " + byteCount + " bytes)");
        }
        byte[] out = new byte[byteCount];
        for (int p = 0; p < len; p++) {
            char ch = s.charAt(p);
            int d = ch < 128 ? DIGIT[ch] : -1;
            if (d < 0) {
                throw new InvalidHashException("nix-base32 string `" + s + "': invalid character `"
                        + ch + "' at position " + p);
            }
            int b = 5 * (len - 1 - p);
            int i = b / 8;
            int j = b % 8;
            out[i] |= (byte) (d << j);
            int carry = d >>> (8 - j);
            if (i + 1 < byteCount) {
                out[i + 1] |= (byte) carry;
            } else if (carry != 0) {
                // parseHash32 would drop these bits: the string is not the printed form.
                throw new InvalidHashException("nix-base32 string `" + s + "': non-canonical first digit `"
                        + ch + "' (bits beyond " + byteCount + " bytes)");
            }
        }
        return out;
    }
}
