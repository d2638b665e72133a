package org.jguix.wire.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/** Reads and writes the fields of one request type (the opcode is handled by the table). */
public interface RequestCodec<Q> {
  Q read(WireReader in, ProtocolVersion client) throws IOException;

  void write(WireWriter out, Q request, ProtocolVersion client) throws IOException;

  /** Reading half, as a lambda. */
  interface Reader<Q> {
    Q read(WireReader in, ProtocolVersion client) throws IOException;
  }

  /** Writing half, as a lambda. */
  interface Writer<Q> {
    void write(WireWriter out, Q request, ProtocolVersion client) throws IOException;
  }

  /** A codec from its two halves. */
  static <Q> RequestCodec<Q> of(Reader<Q> reader, Writer<Q> writer) {
    return new RequestCodec<>() {
      @Override public Q read(WireReader in, ProtocolVersion client) throws IOException {
        return reader.read(in, client);
      }
      @Override public void write(WireWriter out, Q request, ProtocolVersion client)
          throws IOException {
        writer.write(out, request, client);
      }
    };
  }

  /** No fields. */
  static <Q> RequestCodec<Q> none(Supplier<Q> make) {
    return of((in, v) -> make.get(), (out, q, v) -> { });
  }

  /** One string field (a path, as most ops take). */
  static <Q> RequestCodec<Q> string(String field, Function<String, Q> make,
      Function<Q, String> get) {
    return of((in, v) -> make.apply(in.readString(field)),
        (out, q, v) -> out.writeString(get.apply(q)));
  }

  /** One string-list field. */
  static <Q> RequestCodec<Q> strings(String field, Function<List<String>, Q> make,
      Function<Q, List<String>> get) {
    return of((in, v) -> make.apply(in.readStrings(field)),
        (out, q, v) -> out.writeStrings(get.apply(q)));
  }
}
