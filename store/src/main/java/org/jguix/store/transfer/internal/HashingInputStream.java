package org.jguix.store.transfer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.jguix.nar.NarHasher;

/**
 * {@code local-store.cc:HashAndReadSource}, plus a byte count for error offsets: bytes read pass
 * through unchanged and, while hashing is on, into a SHA-256. It never reads more than it is asked
 * for and has no buffer, so a consumer that asks only for what it needs never makes the source
 * read ahead (ImportPaths must not ask the client for more than the export stream).
 */
public final class HashingInputStream extends InputStream {
    private final InputStream in;
    private final MessageDigest digest = NarHasher.messageDigest("sha256");
    private boolean hashing;
    private long count;

    public HashingInputStream(InputStream in) {
        this.in = in;
    }

    /** Starts a fresh hash of what is read from now on. */
    public void startHashing() {
        digest.reset();
        hashing = true;
    }

    /** Stops hashing and returns the hash of what was read since {@link #startHashing()}. */
    public byte[] finishHashing() {
        hashing = false;
        return digest.digest();
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count++;
            if (hashing) {
                digest.update((byte) b);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (hashing) {
                digest.update(b, off, n);
            }
        }
        return n;
    }

    /** Skipping reads (and hashes) what it skips. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Does not close the source (the session's connection). */
    @Override
    public void close() {
    }
}
