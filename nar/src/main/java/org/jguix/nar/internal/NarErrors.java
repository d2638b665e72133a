package org.jguix.nar.internal;

/**
 * Every error text of the nar module, in one place. Texts that guix-daemon also produces are kept
 * verbatim (nix/libutil/archive.cc {@code parse}/{@code parseDump}, serialise.cc {@code readPadding});
 * the others follow "field: value (expected ...)" so a message says what was wrong and the value.
 */
public final class NarErrors {
    private NarErrors() {
    }

    /** guix: {@code parseDump}. */
    public static final String NOT_AN_ARCHIVE = "bad archive: input doesn't look like a normalized archive";
    /** guix: {@code readPadding}. */
    public static final String NON_ZERO_PADDING = "non-zero padding";
    /** guix: {@code parse} (jguix also applies it across entries, which guix forgets to). */
    public static final String NOT_SORTED = "NAR directory is not sorted";

    /** guix: {@code parse}. */
    public static String unknownFileType(String type) {
        return "bad archive: unknown file type " + type;
    }

    /** guix: {@code parse}. */
    public static String unknownField(String field) {
        return "bad archive: unknown field " + field;
    }

    public static String expected(String expected, String got) {
        return "bad archive: expected `" + expected + "', got " + got;
    }

    public static String tokenOfLength(long length) {
        return "a string of length " + Long.toUnsignedString(length);
    }

    public static String duplicate(String name) {
        return NOT_SORTED + ": duplicate entry `" + name + "'";
    }

    public static String unsorted(String previous, String name) {
        return NOT_SORTED + ": `" + name + "' after `" + previous + "'";
    }

    public static String tooLong(String field, long length, long max) {
        return field + ": " + Long.toUnsignedString(length) + " (expected ≤ " + max + ")";
    }

    public static String executableMarker(String value) {
        return "bad archive: executable marker: `" + value + "' (expected `')";
    }

    public static String truncated(String what, long missing) {
        return "unexpected end of archive while reading " + what + " (" + missing + " more bytes needed)";
    }

    public static String unsupportedType(String path) {
        return "file `" + path + "' has an unsupported type";
    }

    public static String unrepresentableName(String what, String value, String charset) {
        return what + " `" + value + "' cannot be mapped to raw bytes in the JVM's file-name encoding ("
                + charset + "); run with a UTF-8 locale and valid UTF-8 names";
    }

    public static String outOfOrder(String event, String state) {
        return "event " + event + " not allowed here (expecting " + state + ")";
    }

    public static String contentsSize(long expected, long got) {
        return "regular file contents: " + got + " bytes (expected " + expected + ")";
    }
}
