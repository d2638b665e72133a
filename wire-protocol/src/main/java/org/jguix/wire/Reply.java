package org.jguix.wire;

import java.util.List;
import java.util.Objects;

/**
 * The compound reply values of the operation table (what follows {@code STDERR_LAST}). Simple
 * replies use plain types: {@code Boolean} for every {@code int} 0/1 reply (including the
 * constant {@code int 1} acknowledgements), {@code String}, {@code List<String>} for string
 * lists and path sets (the session sorts sets byte-wise, as {@code std::set} does, before
 * encoding), {@code List<StringPair>} for FindRoots.
 */
public final class Reply {
  private Reply() {}

  /** The empty reply of SetOptions. */
  public enum None { INSTANCE }

  /**
   * QueryPathInfo (26).
   *
   * @param deriver {@code ""} when none
   * @param narHash base16 SHA-256 of the NAR, no {@code sha256:} prefix
   * @param references sorted
   * @param registrationTime seconds since the epoch, sent as a 32-bit {@code int}: only the low
   *     32 bits are written, as {@code writeInt(info.registrationTime)} does
   * @param narSize {@code u64}
   */
  public record PathInfo(String deriver, String narHash, List<String> references,
      long registrationTime, long narSize) {
    public PathInfo {
      Objects.requireNonNull(deriver); Objects.requireNonNull(narHash);
      references = List.copyOf(references);
    }
  }

  /**
   * CollectGarbage (20). The obsolete trailing {@code u64} is written as 0 and ignored on read.
   */
  public record GcResult(List<String> paths, long bytesFreed) {
    public GcResult { paths = List.copyOf(paths); }
  }

  /**
   * What a substituter knows about a path (ops 21 and 30). {@code narSize} is not sent to
   * clients below minor 7 in op 21 (decoded as 0).
   */
  public record SubstituteInfo(String deriver, List<String> references, long downloadSize,
      long narSize) {
    public SubstituteInfo {
      Objects.requireNonNull(deriver);
      references = List.copyOf(references);
    }
  }

  /** One element of the QuerySubstitutablePathInfos (30) reply. */
  public record SubstitutablePath(String path, SubstituteInfo info) {
    public SubstitutablePath { Objects.requireNonNull(path); Objects.requireNonNull(info); }
  }
}
