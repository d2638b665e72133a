package org.jguix.wire;

import static org.jguix.wire.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Stderr frames from literal bytes the real daemon sent: the ERROR frame of
 * fixtures/wire/unknown-opcode.d2c, the READ frame of import-paths.d2c, LAST.
 */
class StderrCodecTest {
  /** ERROR "invalid operation 99", status 1. */
  static final byte[] INVALID_OP_99 = hex("""
      7074786300000000 1400000000000000
      696e76616c6964206f7065726174696f6e203939 00000000
      0100000000000000""");
  /** READ 32768. */
  static final byte[] READ_32K = hex("6174616400000000 0080000000000000");
  static final byte[] LAST = hex("73746c6100000000");

  @Test
  void decodesTheRealFramesByteByByte() throws IOException {
    assertEquals(new StderrFrame.Error("invalid operation 99", 1), StderrCodec.read(
        new WireReader(Bytes.oneByteAtATime(INVALID_OP_99)), ProtocolVersion.CURRENT));
    assertEquals(new StderrFrame.Read(32768), StderrCodec.read(
        new WireReader(Bytes.oneByteAtATime(READ_32K)), ProtocolVersion.CURRENT));
    assertEquals(new StderrFrame.Last(), StderrCodec.read(
        new WireReader(Bytes.oneByteAtATime(LAST)), ProtocolVersion.CURRENT));
  }

  @Test
  void encodesTheRealFrames() throws IOException {
    ProtocolVersion v = ProtocolVersion.CURRENT;
    assertArrayEquals(INVALID_OP_99,
        Bytes.encode(out -> StderrCodec.writeError(out, "invalid operation 99", 1, v)));
    assertArrayEquals(READ_32K, Bytes.encode(out -> StderrCodec.writeRead(out, 32768)));
    assertArrayEquals(LAST, Bytes.encode(StderrCodec::writeLast));
  }

  @Test
  void errorStatusOnlyFromMinor8() throws IOException {
    ProtocolVersion old = new ProtocolVersion(0x107);
    byte[] bytes = Bytes.encode(out -> StderrCodec.writeError(out, "x", 100, old));
    assertEquals(8 + 16, bytes.length);
    assertEquals(new StderrFrame.Error("x", 1), StderrCodec.read(Bytes.reader(bytes), old));
  }

  @Test
  void everyCutIsEndOfInput() {
    for (int cut = 0; cut < INVALID_OP_99.length; cut++) {
      byte[] part = Arrays.copyOf(INVALID_OP_99, cut);
      assertThrows(WireEofException.class, () -> StderrCodec.read(
          new WireReader(Bytes.oneByteAtATime(part)), ProtocolVersion.CURRENT), "cut " + cut);
    }
  }

  @Test
  void nixActivityFramesAreNotGuix() {
    WireFormatException e = assertThrows(WireFormatException.class, () -> StderrCodec.read(
        Bytes.reader(hex("5452545300000000")), ProtocolVersion.CURRENT));
    assertEquals("invalid error code", e.daemonText());
  }
}
