package org.jguix.hash;

/**
 * RFC 4648 base32 as {@code guix hash -f base32} prints it ({@code base32.scm:
 * bytevector->base32-string}): lowercase alphabet {@code a-z2-7}, most significant bits
 * first, no {@code =} padding. Only the encoder exists: guix never parses this form.
 */
public final class Base32Rfc4648 {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Base32Rfc4648() {}

    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(NixBase32.encodedLength(bytes.length));
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 0x1f));
        }
        return sb.toString();
    }
}
