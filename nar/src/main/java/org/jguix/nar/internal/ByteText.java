package org.jguix.nar.internal;

/** Renders raw archive bytes in error messages: printable ASCII as is, everything else as {@code \xNN}. */
public final class ByteText {
    /** Longer values are cut, so a hostile 4 GiB name cannot make a 16 GiB message. */
    private static final int MAX_SHOWN = 96;

    private ByteText() {
    }

    public static String quote(byte[] bytes) {
        return quote(bytes, 0, bytes.length);
    }

    public static String quote(byte[] bytes, int off, int len) {
        StringBuilder sb = new StringBuilder(Math.min(len, MAX_SHOWN) + 8);
        int shown = Math.min(len, MAX_SHOWN);
        for (int i = off; i < off + shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (shown < len) {
            sb.append("...(").append(len).append(" bytes)");
        }
        return sb.toString();
    }
}
