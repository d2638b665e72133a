package org.jguix.store.transfer.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.jguix.nar.NarHasher;

/**
 * {@code local-store.cc:HashAndWriteSink}: passes every write on unchanged (same calls, same
 * chunks, no buffering) and feeds it to a SHA-256 whose intermediate value can be read at any point
 * ({@code currentHash}). Not thread-safe.
 */
public final class HashingOutputStream extends OutputStream {
    private final OutputStream out;
    private final MessageDigest digest = NarHasher.messageDigest("sha256");

    public HashingOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
    }

    /** The SHA-256 of everything written so far; hashing continues. */
    public byte[] currentHash() {
        try {
            return ((MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    /** Does not flush the target: the caller decides when frames go out. */
    @Override
    public void flush() {
    }

    /** Does not close the target (the session's connection). */
    @Override
    public void close() {
    }
}
