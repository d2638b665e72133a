package org.jguix.nar.internal;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of NAR strings (guix {@code serialise.cc:writeString}): an unsigned 64-bit little-endian
 * length, the payload, then zero bytes up to the next multiple of 8. Tokens are pre-encoded once so the
 * writer emits each fixed run of tokens with a single {@code write}.
 */
public final class Wire {
    public static final byte[] MAGIC = ascii("nix-archive-1");
    public static final byte[] OPEN = ascii("(");
    public static final byte[] CLOSE = ascii(")");
    public static final byte[] TYPE = ascii("type");
    public static final byte[] REGULAR = ascii("regular");
    public static final byte[] DIRECTORY = ascii("directory");
    public static final byte[] SYMLINK = ascii("symlink");
    public static final byte[] EXECUTABLE = ascii("executable");
    public static final byte[] CONTENTS = ascii("contents");
    public static final byte[] TARGET = ascii("target");
    public static final byte[] ENTRY = ascii("entry");
    public static final byte[] NAME = ascii("name");
    public static final byte[] NODE = ascii("node");
    public static final byte[] EMPTY = new byte[0];

    /** {@code nix-archive-1}: what every NAR starts with. */
    public static final byte[] HEADER = encode(MAGIC);
    public static final byte[] DIRECTORY_START = encode(OPEN, TYPE, DIRECTORY);
    /** {@code ( type regular contents} — the 8-byte size follows. */
    public static final byte[] REGULAR_START = encode(OPEN, TYPE, REGULAR, CONTENTS);
    /** {@code ( type regular executable "" contents} — the 8-byte size follows. */
    public static final byte[] EXECUTABLE_START = encode(OPEN, TYPE, REGULAR, EXECUTABLE, EMPTY, CONTENTS);
    public static final byte[] SYMLINK_START = encode(OPEN, TYPE, SYMLINK, TARGET);
    public static final byte[] ENTRY_START = encode(ENTRY, OPEN, NAME);
    public static final byte[] NODE_TOKEN = encode(NODE);
    public static final byte[] CLOSE_TOKEN = encode(CLOSE);

    /** Enough zeros for any padding. */
    public static final byte[] ZEROS = new byte[8];

    private Wire() {
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Number of zero bytes after a payload of {@code length} bytes. */
    public static int padding(long length) {
        return (int) ((8 - (length & 7)) & 7);
    }

    /** Bytes a string of {@code length} payload bytes occupies on the wire. */
    public static long stringSize(long length) {
        return Math.addExact(Math.addExact(8, length), padding(length));
    }

    public static void putLong(byte[] buf, int off, long value) {
        for (int i = 0; i < 8; i++) {
            buf[off + i] = (byte) (value >>> (8 * i));
        }
    }

    public static long getLong(byte[] buf, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[off + i] & 0xff);
        }
        return v;
    }

    /** The strings concatenated, each with its length and padding. */
    public static byte[] encode(byte[]... strings) {
        int size = 0;
        for (byte[] s : strings) {
            size += (int) stringSize(s.length);
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] s : strings) {
            putLong(out, pos, s.length);
            System.arraycopy(s, 0, out, pos + 8, s.length);
            pos += (int) stringSize(s.length);
        }
        return out;
    }
}
