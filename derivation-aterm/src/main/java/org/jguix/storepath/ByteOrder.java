package org.jguix.storepath;

import java.util.Comparator;

/**
 * The order of {@code std::set<string>}/{@code std::map<string,…>} in guix-daemon:
 * unsigned byte-wise. Our byte strings are held as ISO-8859-1 Java strings (one char per
 * byte, every char ≤ 0xFF), for which comparing chars is comparing unsigned bytes; this
 * class states that order explicitly instead of leaning on {@link String#compareTo}.
 */
public final class ByteOrder {
    /** Unsigned byte-wise order of ISO-8859-1 strings; shorter prefix first. */
    public static final Comparator<String> COMPARATOR = ByteOrder::compare;

    private ByteOrder() {}

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            // chars ≤ 0xFF by invariant: char order is unsigned byte order.
            int ca = a.charAt(i);
            int cb = b.charAt(i);
            if (ca != cb) {
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }
}
