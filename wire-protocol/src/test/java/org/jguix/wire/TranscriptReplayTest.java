package org.jguix.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every real transcript in {@code fixtures/wire} (made by
 * {@code fixtures/generate-wire-transcripts.sh} with the real Guix 1.5.0 client and
 * guix-daemon 1.5.0): decodes both directions in lockstep with our codec, requires every byte
 * of both files to be consumed, and re-encodes everything decoded, which must give back both
 * files byte for byte. Where the daemon rejected a request we could not decode either, its
 * error text must be our exception's {@code daemonText}. Adding a transcript adds a test.
 */
class TranscriptReplayTest {
  static final Path DIR = Path.of("..", "fixtures", "wire");

  static Stream<String> transcripts() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> names = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".c2d")).map(n -> n.substring(0, n.length() - 4)).sorted()
          .toList();
      assertTrue(names.size() >= 20, "expected the generated transcripts in " + DIR);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("transcripts")
  void replay(String name) throws IOException {
    Replay r = new Replay(Files.readAllBytes(DIR.resolve(name + ".c2d")),
        Files.readAllBytes(DIR.resolve(name + ".d2c")));
    r.run();
    assertEquals(r.c.length, r.cIn.offset(), "client bytes left unread");
    assertEquals(r.d.length, r.dIn.offset(), "daemon bytes left unread");
    if (!r.stoppedEarly) {
      assertArrayEquals(r.c, r.cOut.toByteArray(), "client bytes re-encoded");
    }
    assertArrayEquals(r.d, r.dOut.toByteArray(), "daemon bytes re-encoded");
  }

  @Test
  void theTranscriptsReachEveryOperation() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (String name : transcripts().toList()) {
      Replay r = new Replay(Files.readAllBytes(DIR.resolve(name + ".c2d")),
          Files.readAllBytes(DIR.resolve(name + ".d2c")));
      r.run();
      seen.addAll(r.ops);
    }
    Set<String> all = new TreeSet<>();
    Operation.all().forEach(op -> all.add(op.daemonName()));
    assertEquals(all, seen);
  }

  /** One lockstep walk over a transcript pair. */
  static final class Replay {
    final byte[] c;
    final byte[] d;
    final WireReader cIn;
    final WireReader dIn;
    final ByteArrayOutputStream cOut = new ByteArrayOutputStream();
    final ByteArrayOutputStream dOut = new ByteArrayOutputStream();
    final WireWriter cw = new WireWriter(cOut);
    final WireWriter dw = new WireWriter(dOut);
    final List<String> ops = new ArrayList<>();
    /** The client's bytes after a request the daemon could not decode are not re-encoded. */
    boolean stoppedEarly;
    ProtocolVersion v;

    Replay(byte[] c, byte[] d) {
      this.c = c;
      this.d = d;
      this.cIn = new WireReader(new ByteArrayInputStream(c));
      this.dIn = new WireReader(new ByteArrayInputStream(d));
    }

    void run() throws IOException {
      try {
        Handshake.readClientMagic(cIn);
      } catch (WireFormatException e) {
        // "protocol mismatch", or a first int over 32 bits: the daemon says nothing either way.
        assertEquals(0, d.length, "the daemon closes without a word after a bad magic");
        skipRest();
        return;
      }
      Handshake.writeClientMagic(cw);
      ProtocolVersion daemon = Handshake.readDaemonGreeting(dIn);
      assertEquals(ProtocolVersion.CURRENT, daemon, "the real daemon advertises 0x164");
      Handshake.writeDaemonGreeting(dw, daemon);
      ClientHello hello = Handshake.readClientHello(cIn);
      Handshake.writeClientHello(cw, hello);
      v = hello.version();
      assertInstanceOf(StderrFrame.Last.class, frame());
      while (true) {
        Optional<Request> next;
        try {
          next = Operation.readRequest(cIn, v);
        } catch (WireFormatException e) {
          // The daemon failed on the same bytes: its last frame must carry our text.
          StderrFrame f = frame();
          assertEquals(new StderrFrame.Error(e.daemonText(), 1), f);
          assertEquals(d.length, dIn.offset(), "the daemon closes after a fatal error");
          skipRest();
          return;
        }
        if (next.isEmpty()) {
          return;
        }
        Request q = next.get();
        ops.add(q.operation().daemonName());
        Operation.writeRequest(cw, q, v);
        if (q instanceof Request.AddToStore) {
          copyNar();
        }
        if (dIn.offset() == d.length) {
          continue; // the daemon had already hung up (fatal error); the client did not know
        }
        answer(q.operation(), q instanceof Request.ImportPaths);
      }
    }

    /** The daemon's frames and reply for one request. */
    private <P> void answer(Operation<?, P> op, boolean tunnelIn) throws IOException {
      ByteArrayOutputStream exported = new ByteArrayOutputStream();
      ByteArrayOutputStream readFrames = new ByteArrayOutputStream();
      ByteArrayOutputStream tunnelFrames = new ByteArrayOutputStream();
      if (tunnelIn) {
        long start = cIn.offset();
        // Pull the export stream through our tunnel; the READ frames it emits must be the
        // daemon's. The stream is self-delimiting: items until a 0 marker.
        TunnelInputStream tunnel = new TunnelInputStream(cIn, new WireWriter(tunnelFrames));
        WireReader data = new WireReader(tunnel);
        while (data.readU64("import.marker") == 1) {
          NarSkipper.skipExportItem(data);
        }
        assertEquals(0, tunnel.available(), "the last chunk ends with the stream");
        // Re-encode the client's answers: one string per READ frame.
        WireReader answers = new WireReader(new ByteArrayInputStream(c, (int) start, c.length));
        for (int i = 0; i < tunnelFrames.size() / 16; i++) {
          cw.writeBytes(answers.readBytes("import.answer"));
        }
        assertEquals(cIn.offset() - start, answers.offset());
      }
      while (true) {
        StderrFrame f = frame();
        switch (f) {
          case StderrFrame.Read r -> StderrCodec.write(new WireWriter(readFrames), r, v);
          case StderrFrame.Write w -> exported.writeBytes(w.data().toByteArray());
          case StderrFrame.Last l -> {
            P reply = op.readReply(dIn, v);
            op.writeReply(dw, reply, v);
            checkExport(exported.toByteArray());
            assertArrayEquals(readFrames.toByteArray(), tunnelFrames.toByteArray());
            return;
          }
          case StderrFrame.Error e -> {
            assertArrayEquals(readFrames.toByteArray(), tunnelFrames.toByteArray());
            return;
          }
          case StderrFrame.Next n -> { }
        }
      }
    }

    private StderrFrame frame() throws IOException {
      StderrFrame f = StderrCodec.read(dIn, v == null ? ProtocolVersion.CURRENT : v);
      StderrCodec.write(dw, f, v == null ? ProtocolVersion.CURRENT : v);
      return f;
    }

    /** The NAR after an AddToStore header: find its end, copy it verbatim. */
    private void copyNar() throws IOException {
      int start = (int) cIn.offset();
      WireReader nar = new WireReader(cIn.rawStream());
      NarSkipper.skipNar(nar);
      cw.writeRaw(c, start, (int) nar.offset());
    }

    /** ExportPath's WRITE frames together are whole export items. */
    private static void checkExport(byte[] data) throws IOException {
      if (data.length == 0) {
        return;
      }
      WireReader in = new WireReader(new ByteArrayInputStream(data));
      NarSkipper.skipExportItem(in);
      assertEquals(data.length, in.offset(), "export data is exactly one item");
    }

    private void skipRest() throws IOException {
      stoppedEarly = true;
      cIn.readFully("rest", new byte[c.length - (int) cIn.offset()], 0,
          c.length - (int) cIn.offset());
      byte[] prefix = Arrays.copyOf(c, cOut.size());
      assertArrayEquals(prefix, cOut.toByteArray(), "client bytes before the failure");
    }
  }
}
