package org.jguix.daemon.server;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connected Unix socket's data path as plain read(2)/write(2) on its descriptor, through the JDK's
 * {@link FileInputStream}/{@link FileOutputStream}. junixsocket still accepts the connection and
 * reads the peer's credentials (SO_PEERCRED: pid, uid, gid), which the JDK's own AF_UNIX channels
 * cannot give (no pid); but its streams pass every read and write through its JNI layer, which wraps
 * the array in a new direct buffer object each time (about a tenth of the daemon's CPU per
 * IsValidPath in {@code perf}).
 *
 * <p>Each call moves at most {@value #CHUNK} bytes: up to that size the JDK reads and writes through a
 * buffer on the native stack, above it it mallocs and frees one per call. The socket owns the
 * descriptor: closing these streams does nothing (closing them would close the descriptor under the
 * socket); {@link java.net.Socket#close} ends both. Nothing here is interruptible, unlike a
 * {@link java.nio.channels.FileChannel}, whose interrupted read would close the descriptor.
 */
final class DescriptorStreams {
    /** The JDK's stack buffer for {@code readBytes}/{@code writeBytes} ({@code BUF_SIZE} in io_util.c). */
    static final int CHUNK = 8192;

    private DescriptorStreams() {
    }

    /** Reads of the socket behind {@code fd}; end of stream when the peer shut down or closed. */
    static InputStream input(FileDescriptor fd) {
        FileInputStream in = new FileInputStream(fd);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, CHUNK));
            }

            @Override
            public void close() {
                // the socket owns the descriptor
            }
        };
    }

    /** Writes to the socket behind {@code fd}, each call written whole. */
    static OutputStream output(FileDescriptor fd) {
        FileOutputStream out = new FileOutputStream(fd);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, CHUNK);
                    out.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() {
                // the socket owns the descriptor
            }
        };
    }
}
