package org.jguix.wire;

import static org.jguix.wire.Bytes.hex;
import static org.jguix.wire.Bytes.reader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Primitive decoding from literal bytes. Provenance: the {@code hello.txt} string and the
 * error cases are from worker-protocol.md §2 (WIRE) and from the real daemon's answers in
 * {@code fixtures/wire/int-too-wide.d2c} and {@code bad-padding.d2c}.
 */
class WireReaderTest {
  /** "hello.txt" as a wire string (spec §2, WIRE). */
  static final byte[] HELLO = hex("0900000000000000 68656c6c6f2e747874 00000000000000");

  @Test
  void readsAPaddedString() throws IOException {
    WireReader in = reader(HELLO);
    assertEquals("hello.txt", in.readString("s"));
    assertEquals(24, in.offset());
  }

  @Test
  void readsOneByteAtATime() throws IOException {
    WireReader in = new WireReader(Bytes.oneByteAtATime(HELLO));
    assertEquals("hello.txt", in.readString("s"));
    assertEquals(24, in.offset());
  }

  @Test
  void everyCutIsEndOfInputNotCorruption() {
    for (int cut = 0; cut < HELLO.length; cut++) {
      byte[] part = Arrays.copyOf(HELLO, cut);
      WireEofException e = assertThrows(WireEofException.class,
          () -> new WireReader(Bytes.oneByteAtATime(part)).readString("name"));
      assertEquals("unexpected end-of-file", e.daemonText());
      assertEquals("name", e.what());
      assertEquals(cut, e.offset(), "cut at " + cut);
    }
  }

  @Test
  void emptyStringIsEightZeroBytes() throws IOException {
    assertEquals("", reader(new byte[8]).readString("s"));
    assertArrayEquals(new byte[8], Bytes.encode(out -> out.writeString("")));
  }

  @Test
  void intWithHighBytesIsRefusedWithTheDaemonsText() {
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> reader(hex("0500000001000000")).readInt("count"));
    assertEquals("implementation cannot deal with > 32-bit integers", e.daemonText());
    assertEquals("0x100000005", e.value());
    assertEquals(0, e.offset());
    assertEquals("count at byte 0: value 0x100000005 (expected < 2^32)", e.getMessage());
  }

  @Test
  void nonZeroPaddingIsRefusedWithTheDaemonsText() {
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> reader(hex("0500000000000000 6162636465 58595a")).readString("path"));
    assertEquals("non-zero padding", e.daemonText());
    assertEquals(13, e.offset());
    assertEquals("58595a", e.value());
  }

  @Test
  void lengthOverTheLimitIsRefusedBeforeReading() {
    WireReader in = new WireReader(new ByteArrayInputStream(hex("0900000000000000")),
        new WireLimits(8, 8));
    WireFormatException e = assertThrows(WireFormatException.class, () -> in.readString("s"));
    assertEquals("string is too long", e.daemonText());
    assertEquals("s at byte 0: length 9 (expected ≤ 8)", e.getMessage());
  }

  @Test
  void listCountOverTheLimitIsRefused() {
    WireReader in = new WireReader(new ByteArrayInputStream(hex("0300000000000000")),
        new WireLimits(8, 2));
    assertThrows(WireFormatException.class, () -> in.readStrings("paths"));
  }

  @Test
  void malformedUtf8IsRefused() {
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> reader(hex("0200000000000000 c328000000000000")).readString("name"));
    assertEquals("string is not valid UTF-8", e.daemonText());
  }

  @Test
  void bytesKeepArbitraryContent() throws IOException {
    assertEquals(ByteString.of(new byte[] {(byte) 0xc3, 0x28}),
        reader(hex("0200000000000000 c328000000000000")).readBytes("contents"));
  }

  @Test
  void u64IsFull64Bits() throws IOException {
    assertEquals(-1L, reader(hex("ffffffffffffffff")).readU64("maxFreed"));
  }

  @Test
  void strictBooleanRefusesTwo() {
    assertThrows(WireFormatException.class,
        () -> reader(hex("0200000000000000")).readStrictBool("b"));
  }

  @Test
  void daemonBooleanReadings() throws IOException {
    assertTrue(reader(hex("0200000000000000")).readBoolNonZero("b"));
    assertEquals(false, reader(hex("0200000000000000")).readBoolIsOne("b"));
  }

  @Test
  void cleanEndBeforeAnIntIsNotAnError() throws IOException {
    assertTrue(reader(new byte[0]).readIntOrEnd("opcode").isEmpty());
    assertThrows(WireEofException.class, () -> reader(new byte[3]).readIntOrEnd("opcode"));
  }

  @Test
  void stringListsAndPairs() throws IOException {
    byte[] bytes = Bytes.encode(out -> {
      out.writeStrings(List.of("a", "bc"));
      out.writeStringPairs(List.of(new StringPair("k", "v")));
    });
    WireReader in = reader(bytes);
    assertEquals(List.of("a", "bc"), in.readStrings("l"));
    assertEquals(List.of(new StringPair("k", "v")), in.readStringPairs("p"));
    assertEquals(bytes.length, in.offset());
  }
}
