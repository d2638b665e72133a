package org.jguix.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ImportPaths' pull tunnel and ExportPath's push tunnel. */
class TunnelStreamsTest {
  private final ByteArrayOutputStream daemonOut = new ByteArrayOutputStream();

  private TunnelInputStream tunnel(int chunk, Bytes.Encoding clientAnswers) throws IOException {
    WireReader in = new WireReader(
        Bytes.oneByteAtATime(Bytes.encode(clientAnswers)));
    return new TunnelInputStream(in, new WireWriter(daemonOut), chunk);
  }

  private int readFrames() {
    return daemonOut.size() / 16;
  }

  @Test
  void asksForDataOnlyWhenItIsNeeded() throws IOException {
    TunnelInputStream t = tunnel(8, out -> {
      out.writeBytes("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
      out.writeBytes("defgh".getBytes(StandardCharsets.UTF_8), 0, 5);
    });
    assertEquals(0, readFrames());
    assertEquals('a', t.read());
    assertEquals(1, readFrames());
    byte[] buf = new byte[10];
    assertEquals(2, t.read(buf, 0, 10), "never more than the current chunk");
    assertEquals(1, readFrames(), "chunk used up, but nobody asked for more yet");
    assertEquals(5, t.read(buf, 0, 10));
    assertEquals(2, readFrames());
    assertArrayEquals(Bytes.encode(out -> {
      StderrCodec.writeRead(out, 8);
      StderrCodec.writeRead(out, 8);
    }), daemonOut.toByteArray());
  }

  @Test
  void emptyAnswerIsTheDaemonsEndOfFile() throws IOException {
    TunnelInputStream t = tunnel(8, out -> out.writeInt(0));
    WireEofException e = assertThrows(WireEofException.class, t::read);
    assertEquals("unexpected end-of-file", e.daemonText());
  }

  @Test
  void answerLongerThanAskedIsRefused() throws IOException {
    TunnelInputStream t = tunnel(4, out -> out.writeBytes(new byte[5], 0, 5));
    WireFormatException e = assertThrows(WireFormatException.class, t::read);
    assertEquals("string is too long", e.daemonText());
  }

  private List<Integer> writeFrameSizes() throws IOException {
    WireReader in = Bytes.reader(daemonOut.toByteArray());
    List<Integer> sizes = new ArrayList<>();
    while (in.offset() < daemonOut.size()) {
      StderrFrame.Write w = (StderrFrame.Write) StderrCodec.read(in, ProtocolVersion.CURRENT);
      sizes.add(w.data().length());
    }
    return sizes;
  }

  @Test
  void framesLikeTheDaemonsBufferedSink() throws IOException {
    TunnelOutputStream t = new TunnelOutputStream(new WireWriter(daemonOut), 16);
    t.write(new byte[5]);
    t.write(new byte[5]);
    t.flush();                     // 10
    t.write(new byte[5]);
    t.write(new byte[11]);         // 5 + 11 ≥ 16: flush 5, then 11 on its own
    t.write(new byte[3]);
    t.write(new byte[40]);         // flush 3, then 40
    t.write(new byte[15]);
    t.close();                     // 15
    assertEquals(List.of(10, 5, 11, 3, 40, 15), writeFrameSizes());
  }

  @Test
  void reproducesTheRealExportFrame() throws IOException {
    // fixtures/wire/export-path.d2c: the unsigned export of hello.txt is one WRITE frame.
    byte[] d = Files.readAllBytes(TranscriptReplayTest.DIR.resolve("export-path.d2c"));
    WireReader in = new WireReader(new ByteArrayInputStream(d));
    Handshake.readDaemonGreeting(in);
    StderrCodec.read(in, ProtocolVersion.CURRENT); // the handshake's LAST
    List<StderrFrame.Write> writes = new ArrayList<>();
    while (in.offset() < d.length) {
      StderrFrame f = StderrCodec.read(in, ProtocolVersion.CURRENT);
      if (f instanceof StderrFrame.Write w) {
        writes.add(w);
      } else if (f instanceof StderrFrame.Last) {
        in.readInt("reply");
      }
    }
    assertEquals(2, writes.size());
    byte[] data = writes.get(1).data().toByteArray();
    TunnelOutputStream t = new TunnelOutputStream(new WireWriter(daemonOut));
    for (int i = 0; i < data.length; i += 8) {
      t.write(data, i, Math.min(8, data.length - i));
    }
    t.flush();
    assertArrayEquals(Bytes.encode(out -> StderrCodec.write(out, writes.get(1),
        ProtocolVersion.CURRENT)), daemonOut.toByteArray());
  }
}
