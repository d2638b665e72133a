package org.jguix.wire;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A decoded client request: one immutable record per operation of protocol 0x164, named after
 * {@code WorkerOp} in {@code nix/libstore/worker-protocol.hh} without the {@code wop} prefix.
 * The wire layout of each is in {@link Operation}; each record's {@code operation()} names its
 * table entry, whose reply type is the second type parameter.
 *
 * <p>Store paths are plain strings here, exactly as sent: the daemon validates them
 * ({@code assertStorePath}) after decoding, and whether a bad one is fatal depends on the op.
 * Lists keep wire order and duplicates; the daemon reads most into a {@code std::set}.
 * Booleans carry the daemon's reading of the {@code int} (most {@code != 0}, a few
 * {@code == 1}: see {@link Operation}).
 */
public sealed interface Request {
  /** This request's entry in the operation table. */
  Operation<?, ?> operation();

  /** Op 1. Not validated before the daemon enters the stderr phase (a bad path is recoverable). */
  record IsValidPath(String path) implements Request {
    public IsValidPath { Objects.requireNonNull(path); }
    @Override public Operation<IsValidPath, Boolean> operation() { return Operation.IS_VALID_PATH; }
  }

  /** Op 3. */
  record HasSubstitutes(String path) implements Request {
    public HasSubstitutes { Objects.requireNonNull(path); }
    @Override public Operation<HasSubstitutes, Boolean> operation() { return Operation.HAS_SUBSTITUTES; }
  }

  /** Op 4. */
  record QueryPathHash(String path) implements Request {
    public QueryPathHash { Objects.requireNonNull(path); }
    @Override public Operation<QueryPathHash, String> operation() { return Operation.QUERY_PATH_HASH; }
  }

  /** Op 5. */
  record QueryReferences(String path) implements Request {
    public QueryReferences { Objects.requireNonNull(path); }
    @Override public Operation<QueryReferences, List<String>> operation() { return Operation.QUERY_REFERENCES; }
  }

  /** Op 6. */
  record QueryReferrers(String path) implements Request {
    public QueryReferrers { Objects.requireNonNull(path); }
    @Override public Operation<QueryReferrers, List<String>> operation() { return Operation.QUERY_REFERRERS; }
  }

  /**
   * Op 7, the header only: on the wire a NAR follows, unframed and self-delimiting. The session
   * reads it from {@link WireReader#rawStream()} right after decoding this record (by parsing
   * it: only the NAR grammar tells where it ends) and before writing anything.
   *
   * @param fixed obsolete; the client always sends 1 (daemon: {@code == 1})
   * @param recursive daemon: {@code == 1}
   */
  record AddToStore(String name, boolean fixed, boolean recursive, String hashAlgo)
      implements Request {
    public AddToStore { Objects.requireNonNull(name); Objects.requireNonNull(hashAlgo); }
    @Override public Operation<AddToStore, String> operation() { return Operation.ADD_TO_STORE; }

    /** The daemon's compatibility rule: not {@code fixed} means recursive SHA-256. */
    public boolean effectiveRecursive() { return !fixed || recursive; }

    /** The daemon's compatibility rule: not {@code fixed} means recursive SHA-256. */
    public String effectiveHashAlgo() { return fixed ? hashAlgo : "sha256"; }
  }

  /** Op 8. {@code references} are validated as store paths before the stderr phase (fatal). */
  record AddTextToStore(String name, ByteString contents, List<String> references)
      implements Request {
    public AddTextToStore {
      Objects.requireNonNull(name); Objects.requireNonNull(contents);
      references = List.copyOf(references);
    }
    @Override public Operation<AddTextToStore, String> operation() { return Operation.ADD_TEXT_TO_STORE; }
  }

  /**
   * Op 9. {@code items} are paths or {@code DRV!out1,out2}. {@code mode} is sent only from
   * minor 15 (0 otherwise): 0 normal, 1 repair, 2 check; the daemon treats any other value as
   * normal, so it is kept raw.
   */
  record BuildPaths(List<String> items, int mode) implements Request {
    public BuildPaths { items = List.copyOf(items); }
    @Override public Operation<BuildPaths, Boolean> operation() { return Operation.BUILD_PATHS; }
  }

  /** Op 10. */
  record EnsurePath(String path) implements Request {
    public EnsurePath { Objects.requireNonNull(path); }
    @Override public Operation<EnsurePath, Boolean> operation() { return Operation.ENSURE_PATH; }
  }

  /** Op 11. */
  record AddTempRoot(String path) implements Request {
    public AddTempRoot { Objects.requireNonNull(path); }
    @Override public Operation<AddTempRoot, Boolean> operation() { return Operation.ADD_TEMP_ROOT; }
  }

  /** Op 12. Any string; the daemon makes it absolute ({@code absPath} against {@code /}). */
  record AddIndirectRoot(String path) implements Request {
    public AddIndirectRoot { Objects.requireNonNull(path); }
    @Override public Operation<AddIndirectRoot, Boolean> operation() { return Operation.ADD_INDIRECT_ROOT; }
  }

  /** Op 13. */
  record SyncWithGC() implements Request {
    @Override public Operation<SyncWithGC, Boolean> operation() { return Operation.SYNC_WITH_GC; }
  }

  /** Op 14. */
  record FindRoots() implements Request {
    @Override public Operation<FindRoots, List<StringPair>> operation() { return Operation.FIND_ROOTS; }
  }

  /** Op 16. The export stream goes out in {@code STDERR_WRITE} frames ({@link TunnelOutputStream}). */
  record ExportPath(String path, boolean sign) implements Request {
    public ExportPath { Objects.requireNonNull(path); }
    @Override public Operation<ExportPath, Boolean> operation() { return Operation.EXPORT_PATH; }
  }

  /** Op 18. */
  record QueryDeriver(String path) implements Request {
    public QueryDeriver { Objects.requireNonNull(path); }
    @Override public Operation<QueryDeriver, String> operation() { return Operation.QUERY_DERIVER; }
  }

  /**
   * Op 19. Fields absent at the client's minor version are empty: {@code maxBuildJobs},
   * {@code maxSilentTime} (minor &lt; 0x61), {@code useBuildHook} (≥ 2), {@code buildVerbosity},
   * {@code logType}, {@code printBuildTrace} (≥ 4), {@code buildCores} (6 … 0x60),
   * {@code useSubstitutes} (≥ 10); {@code settings} is empty below minor 12.
   */
  record SetOptions(boolean keepFailed, boolean keepGoing, boolean fallback, int verbosity,
      OptionalInt maxBuildJobs, OptionalInt maxSilentTime, Optional<Boolean> useBuildHook,
      OptionalInt buildVerbosity, OptionalInt logType, Optional<Boolean> printBuildTrace,
      OptionalInt buildCores, Optional<Boolean> useSubstitutes, List<StringPair> settings)
      implements Request {
    public SetOptions {
      Objects.requireNonNull(maxBuildJobs); Objects.requireNonNull(maxSilentTime);
      Objects.requireNonNull(useBuildHook); Objects.requireNonNull(buildVerbosity);
      Objects.requireNonNull(logType); Objects.requireNonNull(printBuildTrace);
      Objects.requireNonNull(buildCores); Objects.requireNonNull(useSubstitutes);
      settings = List.copyOf(settings);
    }

    /** The layout every client of protocol ≥ 0x161 sends (Guix 1.5.0 included). */
    public static SetOptions current(boolean keepFailed, boolean keepGoing, boolean fallback,
        int verbosity, boolean useBuildHook, int buildVerbosity, int logType,
        boolean printBuildTrace, boolean useSubstitutes, List<StringPair> settings) {
      return new SetOptions(keepFailed, keepGoing, fallback, verbosity, OptionalInt.empty(),
          OptionalInt.empty(), Optional.of(useBuildHook), OptionalInt.of(buildVerbosity),
          OptionalInt.of(logType), Optional.of(printBuildTrace), OptionalInt.empty(),
          Optional.of(useSubstitutes), settings);
    }

    @Override public Operation<SetOptions, Reply.None> operation() { return Operation.SET_OPTIONS; }
  }

  /**
   * Op 20. {@code action}: 0 return-live, 1 return-dead, 2 delete-dead, 3 delete-specific (kept
   * raw). The obsolete trailing ints are read and ignored, and written as 0.
   */
  record CollectGarbage(int action, List<String> pathsToDelete, boolean ignoreLiveness,
      long maxFreed) implements Request {
    public CollectGarbage { pathsToDelete = List.copyOf(pathsToDelete); }
    @Override public Operation<CollectGarbage, Reply.GcResult> operation() { return Operation.COLLECT_GARBAGE; }
  }

  /** Op 21, obsolete. Any string; the daemon makes it absolute. */
  record QuerySubstitutablePathInfo(String path) implements Request {
    public QuerySubstitutablePathInfo { Objects.requireNonNull(path); }
    @Override public Operation<QuerySubstitutablePathInfo, Optional<Reply.SubstituteInfo>> operation() {
      return Operation.QUERY_SUBSTITUTABLE_PATH_INFO;
    }
  }

  /** Op 22. */
  record QueryDerivationOutputs(String path) implements Request {
    public QueryDerivationOutputs { Objects.requireNonNull(path); }
    @Override public Operation<QueryDerivationOutputs, List<String>> operation() { return Operation.QUERY_DERIVATION_OUTPUTS; }
  }

  /** Op 23. */
  record QueryAllValidPaths() implements Request {
    @Override public Operation<QueryAllValidPaths, List<String>> operation() { return Operation.QUERY_ALL_VALID_PATHS; }
  }

  /** Op 24. */
  record QueryFailedPaths() implements Request {
    @Override public Operation<QueryFailedPaths, List<String>> operation() { return Operation.QUERY_FAILED_PATHS; }
  }

  /** Op 25. Not validated as store paths ({@code *} clears all). */
  record ClearFailedPaths(List<String> paths) implements Request {
    public ClearFailedPaths { paths = List.copyOf(paths); }
    @Override public Operation<ClearFailedPaths, Boolean> operation() { return Operation.CLEAR_FAILED_PATHS; }
  }

  /** Op 26. */
  record QueryPathInfo(String path) implements Request {
    public QueryPathInfo { Objects.requireNonNull(path); }
    @Override public Operation<QueryPathInfo, Reply.PathInfo> operation() { return Operation.QUERY_PATH_INFO; }
  }

  /**
   * Op 27. No fields: the export stream is pulled from the client with {@code STDERR_READ}
   * ({@link TunnelInputStream}).
   */
  record ImportPaths() implements Request {
    @Override public Operation<ImportPaths, List<String>> operation() { return Operation.IMPORT_PATHS; }
  }

  /** Op 28. */
  record QueryDerivationOutputNames(String path) implements Request {
    public QueryDerivationOutputNames { Objects.requireNonNull(path); }
    @Override public Operation<QueryDerivationOutputNames, List<String>> operation() { return Operation.QUERY_DERIVATION_OUTPUT_NAMES; }
  }

  /** Op 29. Not validated here; the daemon wants 32 characters. */
  record QueryPathFromHashPart(String hashPart) implements Request {
    public QueryPathFromHashPart { Objects.requireNonNull(hashPart); }
    @Override public Operation<QueryPathFromHashPart, String> operation() { return Operation.QUERY_PATH_FROM_HASH_PART; }
  }

  /** Op 30. */
  record QuerySubstitutablePathInfos(List<String> paths) implements Request {
    public QuerySubstitutablePathInfos { paths = List.copyOf(paths); }
    @Override public Operation<QuerySubstitutablePathInfos, List<Reply.SubstitutablePath>> operation() {
      return Operation.QUERY_SUBSTITUTABLE_PATH_INFOS;
    }
  }

  /** Op 31. */
  record QueryValidPaths(List<String> paths) implements Request {
    public QueryValidPaths { paths = List.copyOf(paths); }
    @Override public Operation<QueryValidPaths, List<String>> operation() { return Operation.QUERY_VALID_PATHS; }
  }

  /** Op 32. */
  record QuerySubstitutablePaths(List<String> paths) implements Request {
    public QuerySubstitutablePaths { paths = List.copyOf(paths); }
    @Override public Operation<QuerySubstitutablePaths, List<String>> operation() { return Operation.QUERY_SUBSTITUTABLE_PATHS; }
  }

  /** Op 33. */
  record QueryValidDerivers(String path) implements Request {
    public QueryValidDerivers { Objects.requireNonNull(path); }
    @Override public Operation<QueryValidDerivers, List<String>> operation() { return Operation.QUERY_VALID_DERIVERS; }
  }

  /** Op 34. */
  record OptimiseStore() implements Request {
    @Override public Operation<OptimiseStore, Boolean> operation() { return Operation.OPTIMISE_STORE; }
  }

  /** Op 35. Both flags {@code != 0}. */
  record VerifyStore(boolean checkContents, boolean repair) implements Request {
    @Override public Operation<VerifyStore, Boolean> operation() { return Operation.VERIFY_STORE; }
  }

  /** Op 80. */
  record BuiltinBuilders() implements Request {
    @Override public Operation<BuiltinBuilders, List<String>> operation() { return Operation.BUILTIN_BUILDERS; }
  }

  /** Op 81. */
  record SubstituteURLs() implements Request {
    @Override public Operation<SubstituteURLs, List<String>> operation() { return Operation.SUBSTITUTE_URLS; }
  }
}
