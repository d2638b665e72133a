package org.jguix.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * The data of an ImportPaths request, pulled from the client on demand
 * ({@code nix-daemon.cc:TunnelSource}): whenever the current chunk is used up and more is
 * read, it writes {@code STDERR_READ chunkSize}, flushes, and reads the client's answer, one
 * string of 1 … chunkSize bytes. Bytes are handed out straight from the connection as they are
 * read (nothing is buffered here); the padding after a chunk is consumed as soon as its last
 * byte has been.
 *
 * <p>Never read past the end of the export stream (its final {@code u64 0}): the Guix client
 * crashes when asked for data it does not have. Parse the stream and stop at its end.
 *
 * <p>Errors, with the daemon's texts: an empty answer is "unexpected end-of-file" (a
 * {@link WireEofException}), a too long one "string is too long". The daemon sends no stderr
 * frames while waiting for an answer; neither must the session.
 */
public final class TunnelInputStream extends InputStream {
  /** The daemon's {@code BufferedSource} size, hence what each READ asks for. */
  public static final int DEFAULT_CHUNK_SIZE = 32768;

  private final WireReader in;
  private final WireWriter out;
  private final int chunkSize;
  private int chunkLength;
  private int remaining;

  public TunnelInputStream(WireReader in, WireWriter out) {
    this(in, out, DEFAULT_CHUNK_SIZE);
  }

  public TunnelInputStream(WireReader in, WireWriter out, int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize: " + chunkSize + " (expected > 0)");
    }
    this.in = in;
    this.out = out;
    this.chunkSize = chunkSize;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      nextChunk();
    }
    int n = Math.min(len, remaining);
    in.readFully("ImportPaths.data", b, off, n);
    remaining -= n;
    if (remaining == 0) {
      in.readPadding("ImportPaths.data", chunkLength);
    }
    return n;
  }

  /** Bytes of the current chunk not yet read (no new READ is needed for these). */
  @Override
  public int available() {
    return remaining;
  }

  private void nextChunk() throws IOException {
    StderrCodec.writeRead(out, chunkSize);
    out.flush();
    int n = in.readLength("ImportPaths.chunk", chunkSize);
    if (n == 0) {
      throw new WireEofException("ImportPaths.chunk", in.offset(), 1);
    }
    chunkLength = n;
    remaining = n;
  }
}
