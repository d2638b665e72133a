package org.jguix.wire.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Reply;
import org.jguix.wire.StringPair;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * Codecs for reply values, one per shape, as written by {@code performOp} in
 * {@code nix-daemon.cc}. Decoding is strict where the daemon only ever writes one form
 * (booleans are 0 or 1), so decode∘encode is the identity on everything the daemon sends.
 */
public final class ReplyCodecs {
  private ReplyCodecs() {}

  /** {@code writeInt(0|1)}. */
  public static final ValueCodec<Boolean> BOOL = new ValueCodec<>() {
    @Override public Boolean read(WireReader in, String field, ProtocolVersion v) throws IOException {
      return in.readStrictBool(field);
    }
    @Override public void write(WireWriter out, Boolean value, ProtocolVersion v) throws IOException {
      out.writeBool(value);
    }
  };

  /** {@code writeString}. */
  public static final ValueCodec<String> STRING = new ValueCodec<>() {
    @Override public String read(WireReader in, String field, ProtocolVersion v) throws IOException {
      return in.readString(field);
    }
    @Override public void write(WireWriter out, String value, ProtocolVersion v) throws IOException {
      out.writeString(value);
    }
  };

  /** {@code writeStrings}. */
  public static final ValueCodec<List<String>> STRINGS = new ValueCodec<>() {
    @Override public List<String> read(WireReader in, String field, ProtocolVersion v) throws IOException {
      return in.readStrings(field);
    }
    @Override public void write(WireWriter out, List<String> value, ProtocolVersion v) throws IOException {
      out.writeStrings(value);
    }
  };

  /** FindRoots: count, then (link, path) pairs. */
  public static final ValueCodec<List<StringPair>> PAIRS = new ValueCodec<>() {
    @Override public List<StringPair> read(WireReader in, String field, ProtocolVersion v) throws IOException {
      return in.readStringPairs(field);
    }
    @Override public void write(WireWriter out, List<StringPair> value, ProtocolVersion v) throws IOException {
      out.writeStringPairs(value);
    }
  };

  /** SetOptions: nothing after {@code STDERR_LAST}. */
  public static final ValueCodec<Reply.None> NONE = new ValueCodec<>() {
    @Override public Reply.None read(WireReader in, String field, ProtocolVersion v) {
      return Reply.None.INSTANCE;
    }
    @Override public void write(WireWriter out, Reply.None value, ProtocolVersion v) {}
  };

  /** QueryPathInfo: deriver, hash, references, 32-bit registration time, u64 NAR size. */
  public static final ValueCodec<Reply.PathInfo> PATH_INFO = new ValueCodec<>() {
    @Override public Reply.PathInfo read(WireReader in, String field, ProtocolVersion v) throws IOException {
      String deriver = in.readString(field + ".deriver");
      String hash = in.readString(field + ".hash");
      List<String> refs = in.readStrings(field + ".references");
      long time = Integer.toUnsignedLong(in.readInt(field + ".registrationTime"));
      long narSize = in.readU64(field + ".narSize");
      return new Reply.PathInfo(deriver, hash, refs, time, narSize);
    }
    @Override public void write(WireWriter out, Reply.PathInfo value, ProtocolVersion v) throws IOException {
      out.writeString(value.deriver());
      out.writeString(value.narHash());
      out.writeStrings(value.references());
      out.writeInt((int) value.registrationTime());
      out.writeU64(value.narSize());
    }
  };

  /** CollectGarbage: paths, u64 bytes freed, u64 0 (obsolete). */
  public static final ValueCodec<Reply.GcResult> GC_RESULT = new ValueCodec<>() {
    @Override public Reply.GcResult read(WireReader in, String field, ProtocolVersion v) throws IOException {
      List<String> paths = in.readStrings(field + ".paths");
      long freed = in.readU64(field + ".bytesFreed");
      in.readU64(field + ".obsolete");
      return new Reply.GcResult(paths, freed);
    }
    @Override public void write(WireWriter out, Reply.GcResult value, ProtocolVersion v) throws IOException {
      out.writeStrings(value.paths());
      out.writeU64(value.bytesFreed());
      out.writeU64(0);
    }
  };

  /** QuerySubstitutablePathInfo (21): int 0, or int 1 + info (narSize from minor 7). */
  public static final ValueCodec<Optional<Reply.SubstituteInfo>> SUBSTITUTE_INFO = new ValueCodec<>() {
    @Override public Optional<Reply.SubstituteInfo> read(WireReader in, String field, ProtocolVersion v)
        throws IOException {
      if (!in.readStrictBool(field + ".found")) {
        return Optional.empty();
      }
      return Optional.of(readInfo(in, field, v.atLeast(7)));
    }
    @Override public void write(WireWriter out, Optional<Reply.SubstituteInfo> value, ProtocolVersion v)
        throws IOException {
      out.writeBool(value.isPresent());
      if (value.isPresent()) {
        writeInfo(out, value.get(), v.atLeast(7));
      }
    }
  };

  /** QuerySubstitutablePathInfos (30): count, then (path, info) with narSize always. */
  public static final ValueCodec<List<Reply.SubstitutablePath>> SUBSTITUTABLE_PATHS = new ValueCodec<>() {
    @Override public List<Reply.SubstitutablePath> read(WireReader in, String field, ProtocolVersion v)
        throws IOException {
      int n = in.readLength(field + ".count", in.limits().maxListLength());
      List<Reply.SubstitutablePath> out = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        String path = in.readString(field + ".path");
        out.add(new Reply.SubstitutablePath(path, readInfo(in, field, true)));
      }
      return Collections.unmodifiableList(out);
    }
    @Override public void write(WireWriter out, List<Reply.SubstitutablePath> value, ProtocolVersion v)
        throws IOException {
      out.writeInt(value.size());
      for (Reply.SubstitutablePath p : value) {
        out.writeString(p.path());
        writeInfo(out, p.info(), true);
      }
    }
  };

  private static Reply.SubstituteInfo readInfo(WireReader in, String field, boolean withNarSize)
      throws IOException {
    String deriver = in.readString(field + ".deriver");
    List<String> refs = in.readStrings(field + ".references");
    long download = in.readU64(field + ".downloadSize");
    long nar = withNarSize ? in.readU64(field + ".narSize") : 0;
    return new Reply.SubstituteInfo(deriver, refs, download, nar);
  }

  private static void writeInfo(WireWriter out, Reply.SubstituteInfo info, boolean withNarSize)
      throws IOException {
    out.writeString(info.deriver());
    out.writeStrings(info.references());
    out.writeU64(info.downloadSize());
    if (withNarSize) {
      out.writeU64(info.narSize());
    }
  }
}
