package org.jguix.wire;

import static org.jguix.wire.Bytes.hex;
import static org.jguix.wire.Bytes.reader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The handshake from literal bytes: fixtures/wire/handshake.{c2d,d2c} (real client/daemon). */
class HandshakeTest {
  static final byte[] CLIENT = hex("""
      6378696e00000000 6401000000000000 0000000000000000 0100000000000000""");
  static final byte[] DAEMON = hex("6f69786400000000 6401000000000000 73746c6100000000");

  @Test
  void daemonSideOfTheRealHandshake() throws IOException {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    WireWriter out = new WireWriter(sent);
    ClientHello hello = Handshake.accept(new WireReader(Bytes.oneByteAtATime(CLIENT)), out,
        ProtocolVersion.CURRENT);
    StderrCodec.writeLast(out);
    assertEquals(ClientHello.GUIX_DEFAULT, hello);
    assertArrayEquals(DAEMON, sent.toByteArray());
  }

  @Test
  void clientSideEncodesTheSameBytes() throws IOException {
    assertArrayEquals(CLIENT, Bytes.encode(out -> {
      Handshake.writeClientMagic(out);
      Handshake.writeClientHello(out, ClientHello.GUIX_DEFAULT);
    }));
    assertEquals(ProtocolVersion.CURRENT, Handshake.readDaemonGreeting(reader(DAEMON)));
  }

  @Test
  void everyCutOfTheClientSideIsEndOfInput() {
    for (int cut = 0; cut < CLIENT.length; cut++) {
      byte[] part = Arrays.copyOf(CLIENT, cut);
      assertThrows(WireEofException.class, () -> Handshake.accept(
          new WireReader(Bytes.oneByteAtATime(part)), new WireWriter(new ByteArrayOutputStream()),
          ProtocolVersion.CURRENT), "cut at " + cut);
    }
  }

  @Test
  void wrongMagicIsAProtocolMismatchAndNothingIsWritten() {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    WireFormatException e = assertThrows(WireFormatException.class, () -> Handshake.accept(
        reader(hex("7856341200000000")), new WireWriter(sent), ProtocolVersion.CURRENT));
    assertEquals("protocol mismatch", e.daemonText());
    assertEquals(0, sent.size());
  }

  @Test
  void affinityAndReserveSpaceAreGatedOnTheClientsMinor() throws IOException {
    // minor 14: flag 1 then the CPU; reserve space 0.
    ClientHello pinned = Handshake.readClientHello(reader(hex("""
        0e01000000000000 0100000000000000 0300000000000000 0000000000000000""")));
    assertEquals(new ClientHello(new ProtocolVersion(0x10e), OptionalInt.of(3), false), pinned);
    // minor 13: no affinity field.
    ClientHello old = Handshake.readClientHello(reader(hex("0d01000000000000 0000000000000000")));
    assertEquals(new ClientHello(new ProtocolVersion(0x10d), OptionalInt.empty(), false), old);
    // minor 10: nothing after the version; reserve space defaults to true.
    ClientHello older = Handshake.readClientHello(reader(hex("0a01000000000000")));
    assertEquals(new ClientHello(new ProtocolVersion(0x10a), OptionalInt.empty(), true), older);
  }
}
