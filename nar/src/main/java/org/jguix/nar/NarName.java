package org.jguix.nar;

import java.util.Arrays;
import org.jguix.nar.internal.ByteText;

/**
 * The raw bytes of one directory entry's name, valid by construction: non-empty, not {@code .} or
 * {@code ..}, no {@code /} and no NUL (the checks of guix-daemon's {@code parse}, whose error text
 * {@link #check} returns). Names are bytes, never decoded or normalised; they order by unsigned byte
 * comparison, the order NAR directories are written in ({@code memcmp}, as the C++ {@code std::map}).
 */
public final class NarName implements Comparable<NarName> {
    private final byte[] bytes;

    private NarName(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A name from raw bytes (copied). */
    public static NarName of(byte[] bytes) {
        String problem = check(bytes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new NarName(bytes.clone());
    }

    /** A name from a Java string, encoded as UTF-8. */
    public static NarName of(String name) {
        return of(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Wraps bytes the caller hands over and checked with {@link #check}; no copy. */
    static NarName trusted(byte[] bytes) {
        return new NarName(bytes);
    }

    /**
     * Why {@code bytes} is not a valid name (guix-daemon's text, {@code NAR contains invalid file name
     * `X'}), or null if it is.
     */
    public static String check(byte[] bytes) {
        boolean bad = bytes.length == 0
                || (bytes.length == 1 && bytes[0] == '.')
                || (bytes.length == 2 && bytes[0] == '.' && bytes[1] == '.');
        for (int i = 0; !bad && i < bytes.length; i++) {
            bad = bytes[i] == '/' || bytes[i] == 0;
        }
        return bad ? "NAR contains invalid file name `" + ByteText.quote(bytes) + "'" : null;
    }

    /** A copy of the raw bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes themselves, for this package's sinks, which never modify them. */
    byte[] raw() {
        return bytes;
    }

    @Override
    public int compareTo(NarName other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NarName n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The name with non-printable and non-ASCII bytes escaped as {@code \xNN}. */
    @Override
    public String toString() {
        return ByteText.quote(bytes);
    }
}
