package org.jguix.nar;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jguix.nar.internal.ByteText;
import org.jguix.nar.internal.NarErrors;
import org.jguix.nar.internal.Wire;

/**
 * Pull reader: parses NAR bytes into {@link NarEvent}s, one per {@link #next()}, with an explicit enum
 * state machine and an explicit directory stack (no recursion, so hostile nesting cannot overflow the
 * Java stack). Strict where guix-daemon's {@code archive.cc:parse} is lax, so that "accepted" means
 * "canonical" (byte-equal to what {@link NarWriter} writes for the same tree): tokens in the one fixed
 * order, {@code executable} marker empty and before {@code contents}, entries strictly increasing in
 * unsigned byte order across the whole directory (guix only compares names inside one entry), valid
 * names and targets, zero padding, lengths and depth within {@link NarLimits}.
 *
 * <p>It reads exactly the bytes of one NAR and no further, so a NAR embedded in a longer stream can be
 * parsed in place. It does no buffering of its own: wrap unbuffered sources in a
 * {@link java.io.BufferedInputStream}. Any error is a {@link NarException} (EOF is
 * {@link NarTruncatedException}) carrying the byte offset; afterwards the reader is dead and rethrows it.
 */
public final class NarReader {
    private enum State { MAGIC, NODE, CONTENTS, DIRECTORY_BODY, AFTER_ENTRY_NODE, DONE }

    private static final int MAX_TAG = 16;
    private static final int TRANSFER_BUFFER = 128 * 1024;

    private final InputStream in;
    private final NarLimits limits;
    private final byte[] tag = new byte[MAX_TAG];
    /** Separate from {@link #tag}, which still holds the token while its padding is read. */
    private final byte[] pad = new byte[8];
    /** Last entry name of each open directory, innermost last; null before its first entry. */
    private final List<NarName> lastNames = new ArrayList<>();
    private State state = State.MAGIC;
    private long offset;
    private long remaining;
    private long contentsSize;
    private String tagText;
    /**
     * The same token unquoted: guix-daemon's "unknown file type T" / "unknown field T" print it bare
     * ({@code archive.cc:parse}), and clients see those texts verbatim.
     */
    private String tagRaw;
    private IOException failure;
    private byte[] buffer;

    public NarReader(InputStream in) {
        this(in, NarLimits.DEFAULT);
    }

    public NarReader(InputStream in, NarLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** The next event, or null once the root node is complete (the input is not read further). */
    public NarEvent next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return step();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Reads content bytes of the regular file announced by the last {@link NarEvent.RegularStart}; -1
     * when they are exhausted (or when not inside a file). Unread contents are skipped by {@link #next()}.
     */
    public int readContents(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (state != State.CONTENTS || remaining == 0) {
            return -1;
        }
        try {
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new NarTruncatedException(NarErrors.truncated("file contents", remaining), offset);
            }
            offset += n;
            remaining -= n;
            return n;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Pushes all remaining events and contents into {@code sink}: "copy = read into write". */
    public void transferTo(NarSink sink) throws IOException {
        byte[] buf = transferBuffer();
        for (NarEvent e; (e = next()) != null; ) {
            sink.accept(e);
            if (e instanceof NarEvent.RegularStart) {
                for (int n; (n = readContents(buf, 0, buf.length)) > 0; ) {
                    sink.contents(buf, 0, n);
                }
            }
        }
    }

    /** Bytes consumed so far; the NAR size once {@link #next()} has returned null. */
    public long offset() {
        return offset;
    }

    private NarEvent step() throws IOException {
        switch (state) {
            case MAGIC -> {
                long start = offset;
                if (readTag("archive header", Wire.MAGIC) < 0) {
                    throw new NarFormatException(NarErrors.NOT_AN_ARCHIVE + ": header " + tagText, start);
                }
                return node();
            }
            case NODE -> {
                return node();
            }
            case CONTENTS -> {
                skipContents();
                readPadding(contentsSize);
                expect(Wire.CLOSE);
                afterNode();
                return NarEvent.REGULAR_END;
            }
            case DIRECTORY_BODY -> {
                long start = offset;
                int t = readTag("directory field", Wire.ENTRY, Wire.CLOSE);
                if (t < 0) {
                    throw new NarFormatException(NarErrors.unknownField(tagRaw), start);
                }
                if (t == 1) {
                    lastNames.remove(lastNames.size() - 1);
                    afterNode();
                    return NarEvent.DIRECTORY_END;
                }
                expect(Wire.OPEN);
                expect(Wire.NAME);
                NarName name = readName();
                expect(Wire.NODE);
                state = State.NODE;
                return new NarEvent.EntryStart(name);
            }
            case AFTER_ENTRY_NODE -> {
                expect(Wire.CLOSE);
                state = State.DIRECTORY_BODY;
                return NarEvent.ENTRY_END;
            }
            case DONE -> {
                return null;
            }
        }
        throw new AssertionError(state);
    }

    private NarEvent node() throws IOException {
        expect(Wire.OPEN);
        expect(Wire.TYPE);
        long start = offset;
        int type = readTag("file type", Wire.REGULAR, Wire.DIRECTORY, Wire.SYMLINK);
        switch (type) {
            case 0 -> {
                return regular();
            }
            case 1 -> {
                if (lastNames.size() >= limits.maxDepth()) {
                    throw new NarFormatException(
                            NarErrors.tooLong("nesting depth", lastNames.size() + 1L, limits.maxDepth()), start);
                }
                lastNames.add(null);
                state = State.DIRECTORY_BODY;
                return NarEvent.DIRECTORY_START;
            }
            case 2 -> {
                expect(Wire.TARGET);
                byte[] target = readString("symlink target", limits.maxTargetLength());
                String problem = NarEvent.Symlink.checkTarget(target);
                if (problem != null) {
                    throw new NarFormatException(problem, offset - Wire.stringSize(target.length));
                }
                expect(Wire.CLOSE);
                afterNode();
                return new NarEvent.Symlink(target);
            }
            default -> throw new NarFormatException(NarErrors.unknownFileType(tagRaw), start);
        }
    }

    private NarEvent regular() throws IOException {
        long start = offset;
        int field = readTag("regular file field", Wire.EXECUTABLE, Wire.CONTENTS);
        if (field < 0) {
            throw new NarFormatException(NarErrors.unknownField(tagRaw), start);
        }
        boolean executable = field == 0;
        if (executable) {
            start = offset;
            if (readTag("executable marker", Wire.EMPTY) < 0) {
                throw new NarFormatException(NarErrors.executableMarker(tagText), start);
            }
            expect(Wire.CONTENTS);
        }
        start = offset;
        long size = readLength("contents length");
        if (size < 0) {
            throw new NarFormatException(NarErrors.tooLong("contents length", size, Long.MAX_VALUE), start);
        }
        contentsSize = size;
        remaining = size;
        state = State.CONTENTS;
        return new NarEvent.RegularStart(executable, size);
    }

    private void afterNode() {
        state = lastNames.isEmpty() ? State.DONE : State.AFTER_ENTRY_NODE;
    }

    private NarName readName() throws IOException {
        long start = offset;
        byte[] bytes = readString("entry name", limits.maxNameLength());
        String problem = NarName.check(bytes);
        if (problem != null) {
            throw new NarFormatException(problem, start);
        }
        NarName name = NarName.trusted(bytes);
        int top = lastNames.size() - 1;
        NarName last = lastNames.get(top);
        if (last != null && last.compareTo(name) >= 0) {
            throw new NarFormatException(last.equals(name) ? NarErrors.duplicate(name.toString())
                    : NarErrors.unsorted(last.toString(), name.toString()), start);
        }
        lastNames.set(top, name);
        return name;
    }

    private void expect(byte[] token) throws IOException {
        long start = offset;
        if (readTag("`" + ByteText.quote(token) + "'", token) < 0) {
            throw new NarFormatException(NarErrors.expected(ByteText.quote(token), tagText), start);
        }
    }

    /**
     * Reads one short string and returns the index of the allowed token it equals, or -1 with
     * {@link #tagText} describing it. Strings longer than any token are not read (no allocation for a
     * hostile length), only described by their length.
     */
    private int readTag(String what, byte[]... allowed) throws IOException {
        long length = readLength(what + " length");
        if (Long.compareUnsigned(length, MAX_TAG) > 0) {
            tagText = NarErrors.tokenOfLength(length);
            tagRaw = tagText;
            return -1;
        }
        int len = (int) length;
        readFully(tag, len, what);
        readPadding(len);
        for (int i = 0; i < allowed.length; i++) {
            if (Arrays.equals(tag, 0, len, allowed[i], 0, allowed[i].length)) {
                return i;
            }
        }
        tagRaw = ByteText.quote(tag, 0, len);
        tagText = "`" + tagRaw + "'";
        return -1;
    }

    private byte[] readString(String what, int max) throws IOException {
        long start = offset;
        long length = readLength(what + " length");
        if (Long.compareUnsigned(length, max) > 0) {
            throw new NarFormatException(NarErrors.tooLong(what + " length", length, max), start);
        }
        byte[] bytes = new byte[(int) length];
        readFully(bytes, bytes.length, what);
        readPadding(bytes.length);
        return bytes;
    }

    private long readLength(String what) throws IOException {
        readFully(tag, 8, what);
        return Wire.getLong(tag, 0);
    }

    private void readPadding(long length) throws IOException {
        int padLength = Wire.padding(length);
        long start = offset;
        readFully(pad, padLength, "padding");
        for (int i = 0; i < padLength; i++) {
            if (pad[i] != 0) {
                throw new NarFormatException(String.format("%s: byte 0x%02x", NarErrors.NON_ZERO_PADDING,
                        pad[i] & 0xff), start + i);
            }
        }
    }

    private void skipContents() throws IOException {
        byte[] buf = remaining > 0 ? transferBuffer() : tag;
        while (remaining > 0) {
            if (readContents(buf, 0, buf.length) < 0) {
                throw new AssertionError("readContents returned -1 with bytes remaining");
            }
        }
    }

    private void readFully(byte[] buf, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(buf, done, len - done);
            if (n < 0) {
                throw new NarTruncatedException(NarErrors.truncated(what, len - done), offset);
            }
            done += n;
            offset += n;
        }
    }

    private byte[] transferBuffer() {
        if (buffer == null) {
            buffer = new byte[TRANSFER_BUFFER];
        }
        return buffer;
    }
}
