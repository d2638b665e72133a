package org.jguix.wire;

import java.io.IOException;
import java.util.OptionalInt;
import org.jguix.wire.internal.WireTexts;

/**
 * The connection greeting ({@code nix-daemon.cc:processConnection},
 * {@code guix/store.scm:open-connection}):
 *
 * <pre>
 *   C→D  int WORKER_MAGIC_1 (0x6e697863)
 *   D→C  int WORKER_MAGIC_2 (0x6478696f), int daemon version (0x164)      — then flush
 *   C→D  int client version
 *        [minor ≥ 14] int affinity flag, [flag ≠ 0] int cpu
 *        [minor ≥ 11] int reserveSpace
 *   D→C  STDERR_LAST, or STDERR_ERROR if the store cannot be opened (see {@link StderrCodec})
 * </pre>
 *
 * The daemon neither checks the client's major version nor refuses any minor; it only uses the
 * minor for its gates. A wrong first magic closes the connection without a reply. The steps
 * are separate methods because the daemon must flush its greeting before the client will
 * send its version; {@link #accept} runs the daemon's side in order.
 */
public final class Handshake {
  /** {@code WORKER_MAGIC_1}, "cxin" on the wire. */
  public static final int WORKER_MAGIC_1 = 0x6e697863;
  /** {@code WORKER_MAGIC_2}, "oixd" on the wire. */
  public static final int WORKER_MAGIC_2 = 0x6478696f;

  private Handshake() {}

  /**
   * The daemon's side up to (not including) the final LAST/ERROR frame: read the client magic,
   * write and flush the greeting advertising {@code daemonVersion}, read the client's hello.
   */
  public static ClientHello accept(WireReader in, WireWriter out, ProtocolVersion daemonVersion)
      throws IOException {
    readClientMagic(in);
    writeDaemonGreeting(out, daemonVersion);
    out.flush();
    return readClientHello(in);
  }

  /** Reads {@code WORKER_MAGIC_1}; anything else is "protocol mismatch". */
  public static void readClientMagic(WireReader in) throws IOException {
    long at = in.offset();
    int magic = in.readInt("handshake.magic1");
    if (magic != WORKER_MAGIC_1) {
      throw new WireFormatException("handshake.magic1", at, "0x" + Integer.toHexString(magic),
          WireTexts.PROTOCOL_MISMATCH,
          "magic 0x" + Integer.toHexString(magic) + " (expected 0x6e697863)");
    }
  }

  public static void writeClientMagic(WireWriter out) throws IOException {
    out.writeInt(WORKER_MAGIC_1);
  }

  /** {@code WORKER_MAGIC_2} then the daemon's version. */
  public static void writeDaemonGreeting(WireWriter out, ProtocolVersion daemonVersion)
      throws IOException {
    out.writeInt(WORKER_MAGIC_2);
    out.writeInt(daemonVersion.raw());
  }

  /** Reads the daemon's greeting (client side); returns the daemon's version. */
  public static ProtocolVersion readDaemonGreeting(WireReader in) throws IOException {
    long at = in.offset();
    int magic = in.readInt("handshake.magic2");
    if (magic != WORKER_MAGIC_2) {
      throw new WireFormatException("handshake.magic2", at, "0x" + Integer.toHexString(magic),
          WireTexts.PROTOCOL_MISMATCH,
          "magic 0x" + Integer.toHexString(magic) + " (expected 0x6478696f)");
    }
    return new ProtocolVersion(in.readInt("handshake.daemonVersion"));
  }

  /** Reads the client's version and the fields its minor version implies. */
  public static ClientHello readClientHello(WireReader in) throws IOException {
    ProtocolVersion v = new ProtocolVersion(in.readInt("handshake.clientVersion"));
    OptionalInt cpu = OptionalInt.empty();
    if (v.atLeast(14) && in.readInt("handshake.cpuAffinityFlag") != 0) {
      cpu = OptionalInt.of(in.readInt("handshake.cpuAffinity"));
    }
    boolean reserve = true;
    if (v.atLeast(11)) {
      reserve = in.readBoolNonZero("handshake.reserveSpace");
    }
    return new ClientHello(v, cpu, reserve);
  }

  /** Writes the client's hello, gated on its own minor version (what the daemon will read). */
  public static void writeClientHello(WireWriter out, ClientHello hello) throws IOException {
    out.writeInt(hello.version().raw());
    if (hello.version().atLeast(14)) {
      out.writeBool(hello.cpuAffinity().isPresent());
      if (hello.cpuAffinity().isPresent()) {
        out.writeInt(hello.cpuAffinity().getAsInt());
      }
    }
    if (hello.version().atLeast(11)) {
      out.writeBool(hello.reserveSpace());
    }
  }
}
