package org.jguix.wire.internal;

import java.io.IOException;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/** Reads and writes one reply type; {@code field} names it in error messages. */
public interface ValueCodec<P> {
  P read(WireReader in, String field, ProtocolVersion client) throws IOException;

  void write(WireWriter out, P value, ProtocolVersion client) throws IOException;
}
