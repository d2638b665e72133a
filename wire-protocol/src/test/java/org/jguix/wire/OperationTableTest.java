package org.jguix.wire;

import static org.jguix.wire.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The table itself, and request decoding from literal bytes. */
class OperationTableTest {
  @Test
  void thirtyFourOperationsAsInWorkerProtocolHh() {
    List<Integer> opcodes = Operation.all().stream().map(Operation::opcode).toList();
    assertEquals(List.of(1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19, 20, 21, 22,
        23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 80, 81), opcodes);
    for (Operation<?, ?> op : Operation.all()) {
      assertSame(op, Operation.byOpcode(op.opcode()).orElseThrow());
      assertTrue(op.daemonName().startsWith("wop"), op.daemonName());
      assertEquals(op.daemonName().substring(3), op.requestType().getSimpleName());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 15, 17, 36, 79, 82, 99, 0x7fffffff})
  void unknownOpcodesGetTheDaemonsText(int opcode) {
    WireFormatException e = assertThrows(WireFormatException.class, () -> Operation.readRequest(
        Bytes.reader(Bytes.encode(out -> out.writeInt(opcode))), ProtocolVersion.CURRENT));
    assertEquals("invalid operation " + opcode, e.daemonText());
  }

  /** IsValidPath "/tmp/foo" as the real client sent it (fixtures/wire/is-valid-path.c2d). */
  static final byte[] IS_VALID_TMP_FOO = hex("""
      0100000000000000 0800000000000000 2f746d702f666f6f""");

  @Test
  void decodesARealRequestByteByByte() throws IOException {
    assertEquals(new Request.IsValidPath("/tmp/foo"), Operation.readRequest(
        new WireReader(Bytes.oneByteAtATime(IS_VALID_TMP_FOO)), ProtocolVersion.CURRENT)
        .orElseThrow());
    for (int cut = 1; cut < IS_VALID_TMP_FOO.length; cut++) {
      byte[] part = Arrays.copyOf(IS_VALID_TMP_FOO, cut);
      assertThrows(WireEofException.class, () -> Operation.readRequest(
          new WireReader(Bytes.oneByteAtATime(part)), ProtocolVersion.CURRENT), "cut " + cut);
    }
  }

  @Test
  void buildModeOnlyFromMinor15() throws IOException {
    var q = new Request.BuildPaths(List.of("/gnu/store/x"), 0);
    byte[] old = Bytes.encode(out -> Operation.writeRequest(out, q, new ProtocolVersion(0x10e)));
    byte[] now = Bytes.encode(out -> Operation.writeRequest(out, q, ProtocolVersion.CURRENT));
    assertEquals(8, now.length - old.length);
  }

  @Test
  void addToStoreCompatibilityRule() {
    var notFixed = new Request.AddToStore("x", false, false, "md5");
    assertEquals("sha256", notFixed.effectiveHashAlgo());
    assertTrue(notFixed.effectiveRecursive());
  }
}
