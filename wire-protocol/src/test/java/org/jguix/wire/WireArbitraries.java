package org.jguix.wire;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jguix.wire.Request.*;
import org.jguix.wire.internal.SetOptionsCodec;

/** jqwik generators for every message type (test support). */
final class WireArbitraries {
  private WireArbitraries() {}

  /** Text the codec can carry: valid UTF-16 (no lone surrogates), some non-ASCII. */
  static Arbitrary<String> text() {
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u2fff')
        .withChars('\n', '\0').ofMaxLength(24);
  }

  static Arbitrary<List<String>> texts() {
    return text().list().ofMaxSize(4);
  }

  static Arbitrary<ByteString> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(ByteString::of);
  }

  static Arbitrary<Integer> ints() {
    return Arbitraries.integers();
  }

  static Arbitrary<Boolean> bools() {
    return Arbitraries.of(true, false);
  }

  /** Protocol versions with major 0x100 and any minor. */
  static Arbitrary<ProtocolVersion> versions() {
    return Arbitraries.integers().between(0, 255).map(m -> new ProtocolVersion(0x100 | m));
  }

  /** One request of every type, as a 0x164 client sends it. */
  static Arbitrary<Request> requests() {
    return requests(ProtocolVersion.CURRENT);
  }

  /** One request of every type, with exactly the fields present at {@code v}. */
  static Arbitrary<Request> requests(ProtocolVersion v) {
    Arbitrary<String> s = text();
    Arbitrary<List<String>> l = texts();
    return Arbitraries.oneOf(List.of(
        s.map(IsValidPath::new), s.map(HasSubstitutes::new), s.map(QueryPathHash::new),
        s.map(QueryReferences::new), s.map(QueryReferrers::new),
        Combinators.combine(s, bools(), bools(), s).as(AddToStore::new),
        Combinators.combine(s, bytes(), l).as(AddTextToStore::new),
        Combinators.combine(l, v.atLeast(15) ? ints() : Arbitraries.just(0)).as(BuildPaths::new),
        s.map(EnsurePath::new), s.map(AddTempRoot::new), s.map(AddIndirectRoot::new),
        Arbitraries.just(new SyncWithGC()), Arbitraries.just(new FindRoots()),
        Combinators.combine(s, bools()).as(ExportPath::new), s.map(QueryDeriver::new),
        setOptions(v),
        Combinators.combine(ints(), l, bools(), Arbitraries.longs()).as(CollectGarbage::new),
        s.map(QuerySubstitutablePathInfo::new), s.map(QueryDerivationOutputs::new),
        Arbitraries.just(new QueryAllValidPaths()), Arbitraries.just(new QueryFailedPaths()),
        l.map(ClearFailedPaths::new), s.map(QueryPathInfo::new),
        Arbitraries.just(new ImportPaths()), s.map(QueryDerivationOutputNames::new),
        s.map(QueryPathFromHashPart::new), l.map(QuerySubstitutablePathInfos::new),
        l.map(QueryValidPaths::new), l.map(QuerySubstitutablePaths::new),
        s.map(QueryValidDerivers::new), Arbitraries.just(new OptimiseStore()),
        Combinators.combine(bools(), bools()).as(VerifyStore::new),
        Arbitraries.just(new BuiltinBuilders()), Arbitraries.just(new SubstituteURLs())));
  }

  /** SetOptions with exactly the fields present at {@code v}. */
  static Arbitrary<Request> setOptions(ProtocolVersion v) {
    Arbitrary<OptionalInt> someInt = ints().map(OptionalInt::of);
    Arbitrary<Optional<Boolean>> someBool = bools().map(Optional::of);
    Arbitrary<List<StringPair>> pairs = Combinators.combine(text(), text()).as(StringPair::new)
        .list().ofMaxSize(4);
    Arbitrary<Head> head = Combinators.combine(bools(), bools(), bools(), ints()).as(Head::new);
    Arbitrary<Gated> gated = Combinators.combine(someInt, someInt, someBool, someInt, someInt,
        someBool, someInt, someBool).as(Gated::new);
    return Combinators.combine(head, gated, pairs).as((h, g, p) -> trim(new SetOptions(
        h.keepFailed(), h.keepGoing(), h.fallback(), h.verbosity(), g.maxBuildJobs(),
        g.maxSilentTime(), g.useBuildHook(), g.buildVerbosity(), g.logType(),
        g.printBuildTrace(), g.buildCores(), g.useSubstitutes(), p), v));
  }

  private record Head(boolean keepFailed, boolean keepGoing, boolean fallback, int verbosity) {}

  private record Gated(OptionalInt maxBuildJobs, OptionalInt maxSilentTime,
      Optional<Boolean> useBuildHook, OptionalInt buildVerbosity, OptionalInt logType,
      Optional<Boolean> printBuildTrace, OptionalInt buildCores,
      Optional<Boolean> useSubstitutes) {}

  /** Drops the fields version {@code v} does not carry. */
  private static SetOptions trim(SetOptions q, ProtocolVersion v) {
    int m = v.minor();
    boolean old = m < 0x61;
    SetOptions t = new SetOptions(q.keepFailed(), q.keepGoing(), q.fallback(), q.verbosity(),
        old ? q.maxBuildJobs() : OptionalInt.empty(), old ? q.maxSilentTime() : OptionalInt.empty(),
        m >= 2 ? q.useBuildHook() : Optional.empty(),
        m >= 4 ? q.buildVerbosity() : OptionalInt.empty(), m >= 4 ? q.logType() : OptionalInt.empty(),
        m >= 4 ? q.printBuildTrace() : Optional.empty(),
        m >= 6 && old ? q.buildCores() : OptionalInt.empty(),
        m >= 10 ? q.useSubstitutes() : Optional.empty(), m >= 12 ? q.settings() : List.of());
    if (!SetOptionsCodec.fitsVersion(t, v)) {
      throw new AssertionError("generator and codec disagree on the gates at " + v);
    }
    return t;
  }

  /** An operation and a value of its reply type. */
  record ReplyCase<P>(Operation<?, P> op, P value) {}

  static <P> Arbitrary<ReplyCase<?>> replyCase(Operation<?, P> op, Arbitrary<P> values) {
    return values.map(p -> new ReplyCase<>(op, p));
  }

  /** A reply of every operation (values the daemon can send: booleans 0/1, 32-bit times). */
  static Arbitrary<ReplyCase<?>> replies() {
    Arbitrary<Boolean> b = bools();
    Arbitrary<String> s = text();
    Arbitrary<List<String>> l = texts();
    Arbitrary<Reply.SubstituteInfo> info = Combinators.combine(s, l, Arbitraries.longs(),
        Arbitraries.longs()).as(Reply.SubstituteInfo::new);
    return Arbitraries.oneOf(List.of(
        replyCase(Operation.IS_VALID_PATH, b), replyCase(Operation.HAS_SUBSTITUTES, b),
        replyCase(Operation.QUERY_PATH_HASH, s), replyCase(Operation.QUERY_REFERENCES, l),
        replyCase(Operation.QUERY_REFERRERS, l), replyCase(Operation.ADD_TO_STORE, s),
        replyCase(Operation.ADD_TEXT_TO_STORE, s), replyCase(Operation.BUILD_PATHS, b),
        replyCase(Operation.ENSURE_PATH, b), replyCase(Operation.ADD_TEMP_ROOT, b),
        replyCase(Operation.ADD_INDIRECT_ROOT, b), replyCase(Operation.SYNC_WITH_GC, b),
        replyCase(Operation.FIND_ROOTS, Combinators.combine(s, s).as(StringPair::new).list().ofMaxSize(3)),
        replyCase(Operation.EXPORT_PATH, b), replyCase(Operation.QUERY_DERIVER, s),
        replyCase(Operation.SET_OPTIONS, Arbitraries.just(Reply.None.INSTANCE)),
        replyCase(Operation.COLLECT_GARBAGE,
            Combinators.combine(l, Arbitraries.longs()).as(Reply.GcResult::new)),
        replyCase(Operation.QUERY_SUBSTITUTABLE_PATH_INFO, info.optional()),
        replyCase(Operation.QUERY_DERIVATION_OUTPUTS, l),
        replyCase(Operation.QUERY_ALL_VALID_PATHS, l), replyCase(Operation.QUERY_FAILED_PATHS, l),
        replyCase(Operation.CLEAR_FAILED_PATHS, b),
        replyCase(Operation.QUERY_PATH_INFO, Combinators.combine(s, s, l,
            Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.longs()).as(Reply.PathInfo::new)),
        replyCase(Operation.IMPORT_PATHS, l), replyCase(Operation.QUERY_DERIVATION_OUTPUT_NAMES, l),
        replyCase(Operation.QUERY_PATH_FROM_HASH_PART, s),
        replyCase(Operation.QUERY_SUBSTITUTABLE_PATH_INFOS,
            Combinators.combine(s, info).as(Reply.SubstitutablePath::new).list().ofMaxSize(3)),
        replyCase(Operation.QUERY_VALID_PATHS, l), replyCase(Operation.QUERY_SUBSTITUTABLE_PATHS, l),
        replyCase(Operation.QUERY_VALID_DERIVERS, l), replyCase(Operation.OPTIMISE_STORE, b),
        replyCase(Operation.VERIFY_STORE, b), replyCase(Operation.BUILTIN_BUILDERS, l),
        replyCase(Operation.SUBSTITUTE_URLS, l)));
  }

  /** Every kind of stderr frame. */
  static Arbitrary<StderrFrame> frames() {
    return Arbitraries.oneOf(List.of(bytes().map(StderrFrame.Next::new),
        ints().map(StderrFrame.Read::new), bytes().map(StderrFrame.Write::new),
        Arbitraries.just(new StderrFrame.Last()),
        Combinators.combine(text(), ints()).as(StderrFrame.Error::new)));
  }

  /** Client hellos consistent with their own version's gates. */
  static Arbitrary<ClientHello> hellos() {
    return Combinators.combine(versions(), ints().optional(), bools()).as((v, cpu, reserve) ->
        new ClientHello(v,
            v.atLeast(14) && cpu.isPresent() ? OptionalInt.of(cpu.get()) : OptionalInt.empty(),
            !v.atLeast(11) || reserve));
  }
}
