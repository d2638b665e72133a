package org.jguix.nar.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Feeds every byte written to a {@link MessageDigest}, counts them, and optionally copies them to a
 * second stream (the reference scanner), so one pass over a NAR yields hash, size and references, as
 * guix's {@code HashSink} + {@code RefScanSink}.
 */
public final class DigestingOutputStream extends OutputStream {
    private final MessageDigest digest;
    private final OutputStream tee;
    private long count;

    public DigestingOutputStream(MessageDigest digest, OutputStream tee) {
        this.digest = digest;
        this.tee = tee;
    }

    @Override
    public void write(int b) throws IOException {
        digest.update((byte) b);
        count++;
        if (tee != null) {
            tee.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        count += len;
        if (tee != null) {
            tee.write(b, off, len);
        }
    }

    public long count() {
        return count;
    }

    public MessageDigest digest() {
        return digest;
    }
}
