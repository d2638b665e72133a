package org.jguix.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The data of an ExportPath reply, sent as {@code STDERR_WRITE} frames
 * ({@code nix-daemon.cc:TunnelSink}, a {@code BufferedSink} of 64 KiB). The frame boundaries
 * are part of the observable protocol, so this reproduces {@code BufferedSink::operator()}
 * exactly, which differs from {@link java.io.BufferedOutputStream}: a write that would fill
 * the buffer (bufferPos + len ≥ size) first flushes what is buffered, then goes out as a frame
 * of its own, however small the part that did not fit. Given the same sequence of writes as
 * the C++ daemon's {@code dumpPath}, the frames are identical.
 *
 * <p>The buffer is a mutable flyweight on purpose: it is the frame, not a cache. {@link #flush}
 * sends the buffered bytes as one frame and flushes the connection; {@link #close} only
 * flushes (the connection stays open).
 */
public final class TunnelOutputStream extends OutputStream {
  /** The daemon's buffer size. */
  public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

  private final WireWriter out;
  private final byte[] buffer;
  private int used;

  public TunnelOutputStream(WireWriter out) {
    this(out, DEFAULT_BUFFER_SIZE);
  }

  public TunnelOutputStream(WireWriter out, int bufferSize) {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected > 0)");
    }
    this.out = out;
    this.buffer = new byte[bufferSize];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    if (used + len >= buffer.length) {
      sendBuffered();
      StderrCodec.writeWrite(out, b, off, len);
      return;
    }
    System.arraycopy(b, off, buffer, used, len);
    used += len;
  }

  /** Sends the buffered bytes (if any) as one frame, then flushes the connection. */
  @Override
  public void flush() throws IOException {
    sendBuffered();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }

  private void sendBuffered() throws IOException {
    if (used > 0) {
      StderrCodec.writeWrite(out, buffer, 0, used);
      used = 0;
    }
  }
}
