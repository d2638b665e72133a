package org.jguix.wire;

import static org.jguix.wire.internal.ReplyCodecs.BOOL;
import static org.jguix.wire.internal.ReplyCodecs.GC_RESULT;
import static org.jguix.wire.internal.ReplyCodecs.NONE;
import static org.jguix.wire.internal.ReplyCodecs.PAIRS;
import static org.jguix.wire.internal.ReplyCodecs.PATH_INFO;
import static org.jguix.wire.internal.ReplyCodecs.STRING;
import static org.jguix.wire.internal.ReplyCodecs.STRINGS;
import static org.jguix.wire.internal.ReplyCodecs.SUBSTITUTABLE_PATHS;
import static org.jguix.wire.internal.ReplyCodecs.SUBSTITUTE_INFO;
import static org.jguix.wire.internal.RequestCodec.none;
import static org.jguix.wire.internal.RequestCodec.of;
import static org.jguix.wire.internal.RequestCodec.string;
import static org.jguix.wire.internal.RequestCodec.strings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jguix.wire.Request.*;
import org.jguix.wire.internal.RequestCodec;
import org.jguix.wire.internal.SetOptionsCodec;
import org.jguix.wire.internal.ValueCodec;
import org.jguix.wire.internal.WireTexts;

/**
 * The operations of worker protocol 0x164, one table entry each: opcode, the name the Guix
 * client gives it ({@code guix/remote-procedures.scm}, or the 1.5.0 {@code operation-id} enum
 * for the six it has no procedure for), the daemon's {@code WorkerOp} name, the request codec,
 * the reply codec and a doc line. Argument and reply layouts follow
 * {@code nix-daemon.cc:performOp}; {@code int}-as-boolean fields are read {@code != 0} except
 * where marked {@code == 1}, as the daemon reads them.
 *
 * <p>A typesafe-enum class rather than a Java {@code enum} so that each entry carries its
 * request and reply types: {@code Operation<QueryPathInfo, Reply.PathInfo>}.
 *
 * @param <Q> the request record
 * @param <P> the reply value (after {@code STDERR_LAST})
 */
public final class Operation<Q extends Request, P> {
  private static final List<Operation<?, ?>> TABLE = new ArrayList<>();
  private static final Operation<?, ?>[] BY_OPCODE = new Operation<?, ?>[82];

  //   opcode  client name                 request                                      reply
  public static final Operation<IsValidPath, Boolean> IS_VALID_PATH = define(1, "valid-path?", "wopIsValidPath",
      IsValidPath.class, string("IsValidPath.path", IsValidPath::new, IsValidPath::path), BOOL,
      "Is PATH a valid store item? A path outside the store is a recoverable error.");
  public static final Operation<HasSubstitutes, Boolean> HAS_SUBSTITUTES = define(3, "has-substitutes?", "wopHasSubstitutes",
      HasSubstitutes.class, string("HasSubstitutes.path", HasSubstitutes::new, HasSubstitutes::path), BOOL,
      "Can PATH be substituted?");
  public static final Operation<QueryPathHash, String> QUERY_PATH_HASH = define(4, "query-path-hash", "wopQueryPathHash",
      QueryPathHash.class, string("QueryPathHash.path", QueryPathHash::new, QueryPathHash::path), STRING,
      "Base16 SHA-256 of PATH's NAR.");
  public static final Operation<QueryReferences, List<String>> QUERY_REFERENCES = define(5, "query-references", "wopQueryReferences",
      QueryReferences.class, string("QueryReferences.path", QueryReferences::new, QueryReferences::path), STRINGS,
      "The references of PATH, sorted.");
  public static final Operation<QueryReferrers, List<String>> QUERY_REFERRERS = define(6, "query-referrers", "wopQueryReferrers",
      QueryReferrers.class, string("QueryReferrers.path", QueryReferrers::new, QueryReferrers::path), STRINGS,
      "The valid paths referring to PATH, sorted (empty for an invalid PATH).");
  public static final Operation<AddToStore, String> ADD_TO_STORE = define(7, "add-to-store", "wopAddToStore",
      AddToStore.class, of(
          (in, v) -> new AddToStore(in.readString("AddToStore.name"), in.readBoolIsOne("AddToStore.fixed"),
              in.readBoolIsOne("AddToStore.recursive"), in.readString("AddToStore.hashAlgo")),
          (out, q, v) -> {
            out.writeString(q.name()); out.writeBool(q.fixed());
            out.writeBool(q.recursive()); out.writeString(q.hashAlgo());
          }), STRING,
      "Add a file or tree, sent as a NAR after the header fields; returns its store path.");
  public static final Operation<AddTextToStore, String> ADD_TEXT_TO_STORE = define(8, "add-text-to-store", "wopAddTextToStore",
      AddTextToStore.class, of(
          (in, v) -> new AddTextToStore(in.readString("AddTextToStore.name"),
              in.readBytes("AddTextToStore.contents"), in.readStrings("AddTextToStore.references")),
          (out, q, v) -> {
            out.writeString(q.name()); out.writeBytes(q.contents()); out.writeStrings(q.references());
          }), STRING,
      "Add a text file with the given references; returns its store path.");
  public static final Operation<BuildPaths, Boolean> BUILD_PATHS = define(9, "build-things", "wopBuildPaths",
      BuildPaths.class, of(
          (in, v) -> new BuildPaths(in.readStrings("BuildPaths.items"),
              v.atLeast(15) ? in.readInt("BuildPaths.mode") : 0),
          (out, q, v) -> {
            out.writeStrings(q.items());
            if (v.atLeast(15)) {
              out.writeInt(q.mode());
            }
          }), BOOL,
      "Build or substitute the items (paths or DRV!outputs) in a build mode (minor ≥ 15).");
  public static final Operation<EnsurePath, Boolean> ENSURE_PATH = define(10, "ensure-path", "wopEnsurePath",
      EnsurePath.class, string("EnsurePath.path", EnsurePath::new, EnsurePath::path), BOOL,
      "Make PATH valid, substituting it if need be.");
  public static final Operation<AddTempRoot, Boolean> ADD_TEMP_ROOT = define(11, "add-temp-root", "wopAddTempRoot",
      AddTempRoot.class, string("AddTempRoot.path", AddTempRoot::new, AddTempRoot::path), BOOL,
      "Make PATH a GC root for the rest of the session.");
  public static final Operation<AddIndirectRoot, Boolean> ADD_INDIRECT_ROOT = define(12, "add-indirect-root", "wopAddIndirectRoot",
      AddIndirectRoot.class, string("AddIndirectRoot.path", AddIndirectRoot::new, AddIndirectRoot::path), BOOL,
      "Register the symlink FILE as an indirect GC root.");
  public static final Operation<SyncWithGC, Boolean> SYNC_WITH_GC = define(13, "sync-with-gc", "wopSyncWithGC",
      SyncWithGC.class, none(SyncWithGC::new), BOOL,
      "Wait for a running garbage collection to finish.");
  public static final Operation<FindRoots, List<StringPair>> FIND_ROOTS = define(14, "find-roots", "wopFindRoots",
      FindRoots.class, none(FindRoots::new), PAIRS,
      "The GC roots: (root link, store path) pairs sorted by link.");
  public static final Operation<ExportPath, Boolean> EXPORT_PATH = define(16, "export-path", "wopExportPath",
      ExportPath.class, of(
          (in, v) -> new ExportPath(in.readString("ExportPath.path"), in.readBoolIsOne("ExportPath.sign")),
          (out, q, v) -> { out.writeString(q.path()); out.writeBool(q.sign()); }), BOOL,
      "Send PATH in export format through STDERR_WRITE frames, signed if asked (== 1).");
  public static final Operation<QueryDeriver, String> QUERY_DERIVER = define(18, "query-deriver", "wopQueryDeriver",
      QueryDeriver.class, string("QueryDeriver.path", QueryDeriver::new, QueryDeriver::path), STRING,
      "The deriver of PATH, or \"\".");
  public static final Operation<SetOptions, Reply.None> SET_OPTIONS = define(19, "set-options", "wopSetOptions",
      SetOptions.class, new SetOptionsCodec(), NONE,
      "Set this session's build options and settings.");
  public static final Operation<CollectGarbage, Reply.GcResult> COLLECT_GARBAGE = define(20, "collect-garbage", "wopCollectGarbage",
      CollectGarbage.class, of(
          (in, v) -> {
            CollectGarbage q = new CollectGarbage(in.readInt("CollectGarbage.action"),
                in.readStrings("CollectGarbage.pathsToDelete"), in.readBoolNonZero("CollectGarbage.ignoreLiveness"),
                in.readU64("CollectGarbage.maxFreed"));
            in.readInt("CollectGarbage.obsolete");
            if (v.atLeast(5)) {
              in.readInt("CollectGarbage.obsoleteUseAtime");
              in.readInt("CollectGarbage.obsoleteMaxAtime");
            }
            return q;
          },
          (out, q, v) -> {
            out.writeInt(q.action()); out.writeStrings(q.pathsToDelete());
            out.writeBool(q.ignoreLiveness()); out.writeU64(q.maxFreed()); out.writeInt(0);
            if (v.atLeast(5)) {
              out.writeInt(0); out.writeInt(0);
            }
          }), GC_RESULT,
      "Run a GC action; returns the paths concerned and the bytes freed.");
  public static final Operation<QuerySubstitutablePathInfo, Optional<Reply.SubstituteInfo>> QUERY_SUBSTITUTABLE_PATH_INFO =
      define(21, "query-substitutable-path-info", "wopQuerySubstitutablePathInfo", QuerySubstitutablePathInfo.class,
          string("QuerySubstitutablePathInfo.path", QuerySubstitutablePathInfo::new, QuerySubstitutablePathInfo::path),
          SUBSTITUTE_INFO, "Obsolete: substitute information about one path.");
  public static final Operation<QueryDerivationOutputs, List<String>> QUERY_DERIVATION_OUTPUTS = define(22, "query-derivation-outputs", "wopQueryDerivationOutputs",
      QueryDerivationOutputs.class, string("QueryDerivationOutputs.path", QueryDerivationOutputs::new, QueryDerivationOutputs::path), STRINGS,
      "The output paths of a derivation, sorted.");
  public static final Operation<QueryAllValidPaths, List<String>> QUERY_ALL_VALID_PATHS = define(23, "query-all-valid-paths", "wopQueryAllValidPaths",
      QueryAllValidPaths.class, none(QueryAllValidPaths::new), STRINGS,
      "Every valid path, sorted.");
  public static final Operation<QueryFailedPaths, List<String>> QUERY_FAILED_PATHS = define(24, "query-failed-paths", "wopQueryFailedPaths",
      QueryFailedPaths.class, none(QueryFailedPaths::new), STRINGS,
      "Paths whose build failure is cached.");
  public static final Operation<ClearFailedPaths, Boolean> CLEAR_FAILED_PATHS = define(25, "clear-failed-paths", "wopClearFailedPaths",
      ClearFailedPaths.class, strings("ClearFailedPaths.paths", ClearFailedPaths::new, ClearFailedPaths::paths), BOOL,
      "Forget cached build failures.");
  public static final Operation<QueryPathInfo, Reply.PathInfo> QUERY_PATH_INFO = define(26, "query-path-info", "wopQueryPathInfo",
      QueryPathInfo.class, string("QueryPathInfo.path", QueryPathInfo::new, QueryPathInfo::path), PATH_INFO,
      "Deriver, NAR hash, references, registration time and NAR size of PATH.");
  public static final Operation<ImportPaths, List<String>> IMPORT_PATHS = define(27, "import-paths", "wopImportPaths",
      ImportPaths.class, none(ImportPaths::new), STRINGS,
      "Import an export stream pulled with STDERR_READ; returns the paths in import order.");
  public static final Operation<QueryDerivationOutputNames, List<String>> QUERY_DERIVATION_OUTPUT_NAMES = define(28, "query-derivation-output-names", "wopQueryDerivationOutputNames",
      QueryDerivationOutputNames.class, string("QueryDerivationOutputNames.path", QueryDerivationOutputNames::new, QueryDerivationOutputNames::path), STRINGS,
      "The output names of a derivation, sorted.");
  public static final Operation<QueryPathFromHashPart, String> QUERY_PATH_FROM_HASH_PART = define(29, "query-path-from-hash-part", "wopQueryPathFromHashPart",
      QueryPathFromHashPart.class, string("QueryPathFromHashPart.hashPart", QueryPathFromHashPart::new, QueryPathFromHashPart::hashPart), STRING,
      "The valid path with this hash part, or \"\".");
  public static final Operation<QuerySubstitutablePathInfos, List<Reply.SubstitutablePath>> QUERY_SUBSTITUTABLE_PATH_INFOS =
      define(30, "query-substitutable-path-infos", "wopQuerySubstitutablePathInfos", QuerySubstitutablePathInfos.class,
          strings("QuerySubstitutablePathInfos.paths", QuerySubstitutablePathInfos::new, QuerySubstitutablePathInfos::paths),
          SUBSTITUTABLE_PATHS, "Substitute information about the substitutable subset of PATHS.");
  public static final Operation<QueryValidPaths, List<String>> QUERY_VALID_PATHS = define(31, "query-valid-paths", "wopQueryValidPaths",
      QueryValidPaths.class, strings("QueryValidPaths.paths", QueryValidPaths::new, QueryValidPaths::paths), STRINGS,
      "The valid subset of PATHS, sorted.");
  public static final Operation<QuerySubstitutablePaths, List<String>> QUERY_SUBSTITUTABLE_PATHS = define(32, "query-substitutable-paths", "wopQuerySubstitutablePaths",
      QuerySubstitutablePaths.class, strings("QuerySubstitutablePaths.paths", QuerySubstitutablePaths::new, QuerySubstitutablePaths::paths), STRINGS,
      "The substitutable subset of PATHS, sorted.");
  public static final Operation<QueryValidDerivers, List<String>> QUERY_VALID_DERIVERS = define(33, "query-valid-derivers", "wopQueryValidDerivers",
      QueryValidDerivers.class, string("QueryValidDerivers.path", QueryValidDerivers::new, QueryValidDerivers::path), STRINGS,
      "The valid derivations that have PATH as an output, sorted.");
  public static final Operation<OptimiseStore, Boolean> OPTIMISE_STORE = define(34, "optimize-store", "wopOptimiseStore",
      OptimiseStore.class, none(OptimiseStore::new), BOOL,
      "Deduplicate the store by hard-linking identical files.");
  public static final Operation<VerifyStore, Boolean> VERIFY_STORE = define(35, "verify-store", "wopVerifyStore",
      VerifyStore.class, of(
          (in, v) -> new VerifyStore(in.readBoolNonZero("VerifyStore.checkContents"), in.readBoolNonZero("VerifyStore.repair")),
          (out, q, v) -> { out.writeBool(q.checkContents()); out.writeBool(q.repair()); }), BOOL,
      "Check (and repair) the store; true when errors remain.");
  public static final Operation<BuiltinBuilders, List<String>> BUILTIN_BUILDERS = define(80, "built-in-builders", "wopBuiltinBuilders",
      BuiltinBuilders.class, none(BuiltinBuilders::new), STRINGS,
      "Names of the builtin: builders, sorted.");
  public static final Operation<SubstituteURLs, List<String>> SUBSTITUTE_URLS = define(81, "substitute-urls", "wopSubstituteURLs",
      SubstituteURLs.class, none(SubstituteURLs::new), STRINGS,
      "The substitute URLs in effect for this session, in order.");

  private final int opcode;
  private final String name;
  private final String daemonName;
  private final Class<Q> requestType;
  private final RequestCodec<Q> request;
  private final ValueCodec<P> reply;
  private final String doc;

  private Operation(int opcode, String name, String daemonName, Class<Q> requestType,
      RequestCodec<Q> request, ValueCodec<P> reply, String doc) {
    this.opcode = opcode;
    this.name = name;
    this.daemonName = daemonName;
    this.requestType = requestType;
    this.request = request;
    this.reply = reply;
    this.doc = doc;
  }

  private static <Q extends Request, P> Operation<Q, P> define(int opcode, String name,
      String daemonName, Class<Q> type, RequestCodec<Q> request, ValueCodec<P> reply, String doc) {
    Operation<Q, P> op = new Operation<>(opcode, name, daemonName, type, request, reply, doc);
    TABLE.add(op);
    BY_OPCODE[opcode] = op;
    return op;
  }

  /** All operations, by opcode. */
  public static List<Operation<?, ?>> all() {
    return Collections.unmodifiableList(TABLE);
  }

  /** The operation with this opcode, if protocol 0x164 has one. */
  public static Optional<Operation<?, ?>> byOpcode(long opcode) {
    return opcode >= 0 && opcode < BY_OPCODE.length
        ? Optional.ofNullable(BY_OPCODE[(int) opcode])
        : Optional.empty();
  }

  /**
   * The {@link WireException#what()} of a failure to read the opcode itself (cut short, or an int
   * with high bytes set), as opposed to a well-formed unknown one ({@code "operation"}): guix-daemon
   * reads the opcode outside the op's error handling, so it hangs up without an error frame.
   */
  public static final String OPCODE_FIELD = "opcode";

  /**
   * Reads the next request: its opcode, then its fields. Empty when the input ends cleanly
   * before an opcode (the client hung up). An unknown opcode is a {@link WireFormatException}
   * whose {@link WireException#daemonText() daemonText} is guix-daemon's
   * {@code invalid operation N} (fatal in the daemon). For AddToStore the NAR that follows is
   * left unread; for ImportPaths nothing follows until the daemon asks with STDERR_READ.
   */
  public static Optional<Request> readRequest(WireReader in, ProtocolVersion client)
      throws IOException {
    long at = in.offset();
    var code = in.readIntOrEnd(OPCODE_FIELD);
    if (code.isEmpty()) {
      return Optional.empty();
    }
    long opcode = Integer.toUnsignedLong(code.getAsInt());
    Operation<?, ?> op = byOpcode(opcode).orElseThrow(() -> new WireFormatException("operation",
        at, Long.toString(opcode), WireTexts.invalidOperation(opcode),
        "unknown operation " + opcode));
    return Optional.of(op.readFields(in, client));
  }

  /** Writes any request (opcode and fields), as a client would. */
  public static void writeRequest(WireWriter out, Request q, ProtocolVersion client)
      throws IOException {
    q.operation().writeChecked(out, q, client);
  }

  private void writeChecked(WireWriter out, Request q, ProtocolVersion client)
      throws IOException {
    write(out, requestType.cast(q), client);
  }

  /** Reads this operation's request fields (the opcode has been read). */
  public Q readFields(WireReader in, ProtocolVersion client) throws IOException {
    return request.read(in, client);
  }

  /** Writes the opcode and the request's fields. */
  public void write(WireWriter out, Q q, ProtocolVersion client) throws IOException {
    out.writeInt(opcode);
    request.write(out, q, client);
  }

  /** Writes the reply fields that follow {@code STDERR_LAST}. */
  public void writeReply(WireWriter out, P value, ProtocolVersion client) throws IOException {
    reply.write(out, value, client);
  }

  /** Reads the reply fields that follow {@code STDERR_LAST}. */
  public P readReply(WireReader in, ProtocolVersion client) throws IOException {
    return reply.read(in, daemonName.substring(3) + ".reply", client);
  }

  public int opcode() {
    return opcode;
  }

  /** The Guix client's name for it, e.g. {@code valid-path?}. */
  public String name() {
    return name;
  }

  /** The daemon's {@code WorkerOp} name, e.g. {@code wopIsValidPath}. */
  public String daemonName() {
    return daemonName;
  }

  public Class<Q> requestType() {
    return requestType;
  }

  /** One line saying what it does. */
  public String doc() {
    return doc;
  }

  @Override
  public String toString() {
    return daemonName + "(" + opcode + ")";
  }
}
