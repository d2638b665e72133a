package org.jguix.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.jguix.wire.WireArbitraries.ReplyCase;

/** decode∘encode = id for every message type; decoders are total on arbitrary bytes. */
class WireProperties {
  @Provide Arbitrary<Request> requests() {
    return WireArbitraries.requests();
  }

  @Provide Arbitrary<ReplyCase<?>> replies() {
    return WireArbitraries.replies();
  }

  @Provide Arbitrary<StderrFrame> frames() {
    return WireArbitraries.frames();
  }

  @Provide Arbitrary<ClientHello> hellos() {
    return WireArbitraries.hellos();
  }

  @Provide Arbitrary<ProtocolVersion> versions() {
    return WireArbitraries.versions();
  }

  @Provide Arbitrary<byte[]> garbage() {
    // Mostly small values so that lengths and counts are often plausible.
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Arbitraries.bytes().between((byte) 0, (byte) 3).array(byte[].class).ofMaxSize(200));
  }

  @Property(tries = 500)
  void requestsRoundTrip(@ForAll("requests") Request q) throws IOException {
    ProtocolVersion v = ProtocolVersion.CURRENT;
    byte[] bytes = Bytes.encode(out -> Operation.writeRequest(out, q, v));
    WireReader in = new WireReader(Bytes.oneByteAtATime(bytes));
    assertEquals(q, Operation.readRequest(in, v).orElseThrow());
    assertEquals(bytes.length, in.offset());
  }

  @Provide Arbitrary<Tuple2<ProtocolVersion, Request>> versionedRequests() {
    return WireArbitraries.versions()
        .flatMap(v -> WireArbitraries.requests(v).map(q -> Tuple.of(v, q)));
  }

  @Property(tries = 300)
  void requestsRoundTripAtEveryVersion(
      @ForAll("versionedRequests") Tuple2<ProtocolVersion, Request> vq) throws IOException {
    ProtocolVersion v = vq.get1();
    Request q = vq.get2();
    byte[] bytes = Bytes.encode(out -> Operation.writeRequest(out, q, v));
    WireReader in = Bytes.reader(bytes);
    assertEquals(q, Operation.readRequest(in, v).orElseThrow());
    assertEquals(bytes.length, in.offset());
  }

  @Property(tries = 200)
  void everyCutOfARequestIsEndOfInput(@ForAll("requests") Request q) throws IOException {
    byte[] bytes = Bytes.encode(out -> Operation.writeRequest(out, q, ProtocolVersion.CURRENT));
    for (int cut = 1; cut < bytes.length; cut++) {
      byte[] part = Arrays.copyOf(bytes, cut);
      assertThrows(WireEofException.class,
          () -> Operation.readRequest(Bytes.reader(part), ProtocolVersion.CURRENT));
    }
  }

  @Property(tries = 500)
  void repliesRoundTrip(@ForAll("replies") ReplyCase<?> r) throws IOException {
    roundTrip(r);
  }

  private static <P> void roundTrip(ReplyCase<P> r) throws IOException {
    ProtocolVersion v = ProtocolVersion.CURRENT;
    byte[] bytes = Bytes.encode(out -> r.op().writeReply(out, r.value(), v));
    WireReader in = new WireReader(Bytes.oneByteAtATime(bytes));
    assertEquals(r.value(), r.op().readReply(in, v));
    assertEquals(bytes.length, in.offset());
  }

  @Property(tries = 300)
  void framesRoundTrip(@ForAll("frames") StderrFrame f) throws IOException {
    byte[] bytes = Bytes.encode(out -> StderrCodec.write(out, f, ProtocolVersion.CURRENT));
    WireReader in = Bytes.reader(bytes);
    assertEquals(f, StderrCodec.read(in, ProtocolVersion.CURRENT));
    assertEquals(bytes.length, in.offset());
  }

  @Property(tries = 300)
  void hellosRoundTrip(@ForAll("hellos") ClientHello h) throws IOException {
    byte[] bytes = Bytes.encode(out -> Handshake.writeClientHello(out, h));
    WireReader in = Bytes.reader(bytes);
    assertEquals(h, Handshake.readClientHello(in));
    assertEquals(bytes.length, in.offset());
  }

  /** Whatever the bytes, decoding ends normally or with a {@link WireException}. */
  @Property(tries = 1000)
  void decodersAreTotal(@ForAll("garbage") byte[] bytes, @ForAll("versions") ProtocolVersion v) {
    total(() -> {
      WireReader in = Bytes.reader(bytes);
      while (Operation.readRequest(in, v).isPresent()) {
        // keep going until the end or an error
      }
    });
    total(() -> {
      WireReader in = Bytes.reader(bytes);
      while (in.offset() < bytes.length) {
        StderrCodec.read(in, v);
      }
    });
    total(() -> Handshake.accept(Bytes.reader(bytes),
        new WireWriter(java.io.OutputStream.nullOutputStream()), ProtocolVersion.CURRENT));
    for (Operation<?, ?> op : Operation.all()) {
      total(() -> op.readReply(Bytes.reader(bytes), v));
    }
  }

  /** Something that decodes. */
  interface Decoding {
    void run() throws IOException;
  }

  private static void total(Decoding d) {
    try {
      d.run();
    } catch (WireException expected) {
      // the only failure allowed
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("decoder threw " + e, e);
    }
  }
}
