package org.jguix.wire.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request.SetOptions;
import org.jguix.wire.StringPair;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * SetOptions (19), {@code nix-daemon.cc:performOp case wopSetOptions}. Each version gate is
 * stated once, in {@link Gate}, and used by both directions. Absent fields are written as 0
 * when a gate is open but the record has no value (the record factory for the current layout
 * fills them all).
 */
public final class SetOptionsCodec implements RequestCodec<SetOptions> {
  /** The client-minor ranges in which each gated field is on the wire. */
  enum Gate {
    MAX_JOBS_AND_SILENT_TIME(0, 0x61),
    USE_BUILD_HOOK(2, 256),
    BUILD_VERBOSITY_LOG_TYPE_TRACE(4, 256),
    BUILD_CORES(6, 0x61),
    USE_SUBSTITUTES(10, 256),
    SETTINGS(12, 256);

    private final int fromMinor;
    private final int belowMinor;

    Gate(int fromMinor, int belowMinor) {
      this.fromMinor = fromMinor;
      this.belowMinor = belowMinor;
    }

    boolean open(ProtocolVersion v) {
      return v.minor() >= fromMinor && v.minor() < belowMinor;
    }
  }

  private static final String F = "SetOptions.";

  @Override
  public SetOptions read(WireReader in, ProtocolVersion v) throws IOException {
    boolean keepFailed = in.readBoolNonZero(F + "keepFailed");
    boolean keepGoing = in.readBoolNonZero(F + "keepGoing");
    boolean fallback = in.readBoolNonZero(F + "fallback");
    int verbosity = in.readInt(F + "verbosity");
    OptionalInt maxJobs = OptionalInt.empty();
    OptionalInt maxSilent = OptionalInt.empty();
    if (Gate.MAX_JOBS_AND_SILENT_TIME.open(v)) {
      maxJobs = OptionalInt.of(in.readInt(F + "maxBuildJobs"));
      maxSilent = OptionalInt.of(in.readInt(F + "maxSilentTime"));
    }
    Optional<Boolean> hook = Optional.empty();
    if (Gate.USE_BUILD_HOOK.open(v)) {
      hook = Optional.of(in.readBoolNonZero(F + "useBuildHook"));
    }
    OptionalInt buildVerbosity = OptionalInt.empty();
    OptionalInt logType = OptionalInt.empty();
    Optional<Boolean> trace = Optional.empty();
    if (Gate.BUILD_VERBOSITY_LOG_TYPE_TRACE.open(v)) {
      buildVerbosity = OptionalInt.of(in.readInt(F + "buildVerbosity"));
      logType = OptionalInt.of(in.readInt(F + "logType"));
      trace = Optional.of(in.readBoolNonZero(F + "printBuildTrace"));
    }
    OptionalInt cores = OptionalInt.empty();
    if (Gate.BUILD_CORES.open(v)) {
      cores = OptionalInt.of(in.readInt(F + "buildCores"));
    }
    Optional<Boolean> subst = Optional.empty();
    if (Gate.USE_SUBSTITUTES.open(v)) {
      subst = Optional.of(in.readBoolNonZero(F + "useSubstitutes"));
    }
    List<StringPair> settings = List.of();
    if (Gate.SETTINGS.open(v)) {
      settings = in.readStringPairs(F + "settings");
    }
    return new SetOptions(keepFailed, keepGoing, fallback, verbosity, maxJobs, maxSilent, hook,
        buildVerbosity, logType, trace, cores, subst, settings);
  }

  @Override
  public void write(WireWriter out, SetOptions q, ProtocolVersion v) throws IOException {
    out.writeBool(q.keepFailed());
    out.writeBool(q.keepGoing());
    out.writeBool(q.fallback());
    out.writeInt(q.verbosity());
    if (Gate.MAX_JOBS_AND_SILENT_TIME.open(v)) {
      out.writeInt(q.maxBuildJobs().orElse(0));
      out.writeInt(q.maxSilentTime().orElse(0));
    }
    if (Gate.USE_BUILD_HOOK.open(v)) {
      out.writeBool(q.useBuildHook().orElse(false));
    }
    if (Gate.BUILD_VERBOSITY_LOG_TYPE_TRACE.open(v)) {
      out.writeInt(q.buildVerbosity().orElse(0));
      out.writeInt(q.logType().orElse(0));
      out.writeBool(q.printBuildTrace().orElse(false));
    }
    if (Gate.BUILD_CORES.open(v)) {
      out.writeInt(q.buildCores().orElse(0));
    }
    if (Gate.USE_SUBSTITUTES.open(v)) {
      out.writeBool(q.useSubstitutes().orElse(false));
    }
    if (Gate.SETTINGS.open(v)) {
      out.writeStringPairs(q.settings());
    }
  }

  /** Whether {@code q} has exactly the fields present at version {@code v} (for tests). */
  public static boolean fitsVersion(SetOptions q, ProtocolVersion v) {
    return q.maxBuildJobs().isPresent() == Gate.MAX_JOBS_AND_SILENT_TIME.open(v)
        && q.maxSilentTime().isPresent() == Gate.MAX_JOBS_AND_SILENT_TIME.open(v)
        && q.useBuildHook().isPresent() == Gate.USE_BUILD_HOOK.open(v)
        && q.buildVerbosity().isPresent() == Gate.BUILD_VERBOSITY_LOG_TYPE_TRACE.open(v)
        && q.logType().isPresent() == Gate.BUILD_VERBOSITY_LOG_TYPE_TRACE.open(v)
        && q.printBuildTrace().isPresent() == Gate.BUILD_VERBOSITY_LOG_TYPE_TRACE.open(v)
        && q.buildCores().isPresent() == Gate.BUILD_CORES.open(v)
        && q.useSubstitutes().isPresent() == Gate.USE_SUBSTITUTES.open(v)
        && (Gate.SETTINGS.open(v) || q.settings().isEmpty());
  }
}
