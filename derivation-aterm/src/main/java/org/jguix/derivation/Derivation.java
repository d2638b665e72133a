package org.jguix.derivation;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.storepath.ByteOrder;

/**
 * A derivation ({@code derivations.hh:Derivation}), immutable and valid by construction.
 *
 * <p>Every string is a byte string held as ISO-8859-1 (each char ≤ 0xFF is one byte of the
 * {@code .drv} file) and contains no NUL (the C++ printer would truncate it there). Maps
 * and sets are sorted in unsigned byte order ({@link ByteOrder}), as the daemon's
 * {@code std::map}/{@code std::set}; {@code args} keep their order. Paths are plain
 * strings, not {@code StorePath}s, because the masked forms used for hashing put
 * {@code ""} and hex digests where paths normally are; the parser checks real paths.
 */
public final class Derivation {
    private final SortedMap<String, DerivationOutput> outputs;
    private final SortedMap<String, SortedSet<String>> inputDrvs;
    private final SortedSet<String> inputSrcs;
    private final String platform;
    private final String builder;
    private final List<String> args;
    private final SortedMap<String, String> env;

    private Derivation(SortedMap<String, DerivationOutput> outputs, SortedMap<String, SortedSet<String>> inputDrvs,
            SortedSet<String> inputSrcs, String platform, String builder, List<String> args,
            SortedMap<String, String> env) {
        this.outputs = outputs;
        this.inputDrvs = inputDrvs;
        this.inputSrcs = inputSrcs;
        this.platform = platform;
        this.builder = builder;
        this.args = args;
        this.env = env;
    }

    /**
     * A derivation from its parts, copied into byte-ordered unmodifiable collections.
     *
     * @throws InvalidDerivationException if a string holds NUL or a char above 0xFF
     */
    public static Derivation of(Map<String, DerivationOutput> outputs, Map<String, ? extends Set<String>> inputDrvs,
            Set<String> inputSrcs, String platform, String builder, List<String> args, Map<String, String> env)
            throws InvalidDerivationException {
        SortedMap<String, DerivationOutput> o = new TreeMap<>(ByteOrder.COMPARATOR);
        for (Map.Entry<String, DerivationOutput> e : outputs.entrySet()) {
            DerivationOutput out = e.getValue();
            check("output id", e.getKey());
            check("output path", out.path());
            check("output hash algorithm", out.hashAlgo());
            check("output hash", out.hash());
            o.put(e.getKey(), out);
        }
        SortedMap<String, SortedSet<String>> in = new TreeMap<>(ByteOrder.COMPARATOR);
        for (Map.Entry<String, ? extends Set<String>> e : inputDrvs.entrySet()) {
            check("input derivation", e.getKey());
            in.put(e.getKey(), sortedSet("input derivation output", e.getValue()));
        }
        List<String> a = List.copyOf(args);
        for (String s : a) {
            check("argument", s);
        }
        SortedMap<String, String> en = new TreeMap<>(ByteOrder.COMPARATOR);
        for (Map.Entry<String, String> e : env.entrySet()) {
            check("environment variable name", e.getKey());
            check("environment variable value", e.getValue());
            en.put(e.getKey(), e.getValue());
        }
        check("platform", platform);
        check("builder", builder);
        return new Derivation(Collections.unmodifiableSortedMap(o), Collections.unmodifiableSortedMap(in),
                sortedSet("input source", inputSrcs), platform, builder, a, Collections.unmodifiableSortedMap(en));
    }

    private static SortedSet<String> sortedSet(String what, Set<String> values) throws InvalidDerivationException {
        SortedSet<String> s = new TreeSet<>(ByteOrder.COMPARATOR);
        for (String v : values) {
            check(what, v);
            s.add(v);
        }
        return Collections.unmodifiableSortedSet(s);
    }

    private static void check(String what, String s) throws InvalidDerivationException {
        Objects.requireNonNull(s, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new InvalidDerivationException(what + " `" + s + "': character U+"
                        + String.format("%04X", (int) c) + " at index " + i
                        + " (expected bytes 0x01-0xFF: NUL is truncated by guix-daemon, wider chars have no byte)");
            }
        }
    }

    /** Outputs by id. */
    public SortedMap<String, DerivationOutput> outputs() {
        return outputs;
    }

    /** Input {@code .drv} paths and the output ids used from each. */
    public SortedMap<String, SortedSet<String>> inputDrvs() {
        return inputDrvs;
    }

    /** Input sources (store paths). */
    public SortedSet<String> inputSrcs() {
        return inputSrcs;
    }

    /** System type, e.g. {@code x86_64-linux}. */
    public String platform() {
        return platform;
    }

    /** Builder: a store path, or {@code builtin:NAME}. */
    public String builder() {
        return builder;
    }

    public List<String> args() {
        return args;
    }

    public SortedMap<String, String> env() {
        return env;
    }

    /**
     * {@code isFixedOutputDrv}: exactly one output, named {@code out}, with a hash. (The
     * build code's looser "every output has a hash" is not this.)
     */
    public boolean isFixedOutput() {
        if (outputs.size() != 1) {
            return false;
        }
        DerivationOutput out = outputs.get("out");
        return out != null && out.hasHash();
    }

    /** The store paths a {@code .drv} refers to ({@code writeDerivation}): sources and input {@code .drv}s. */
    public SortedSet<String> references() {
        SortedSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
        refs.addAll(inputSrcs);
        refs.addAll(inputDrvs.keySet());
        return Collections.unmodifiableSortedSet(refs);
    }

    /** This derivation with other input derivations (used with digest keys by hashing). */
    public Derivation withInputDrvs(Map<String, ? extends Set<String>> newInputDrvs) throws InvalidDerivationException {
        return of(outputs, newInputDrvs, inputSrcs, platform, builder, args, env);
    }

    /** This derivation with other outputs and environment. */
    public Derivation withOutputsAndEnv(Map<String, DerivationOutput> newOutputs, Map<String, String> newEnv)
            throws InvalidDerivationException {
        return of(newOutputs, inputDrvs, inputSrcs, platform, builder, args, newEnv);
    }

    /**
     * The masked form whose hash gives the output paths ({@code checkDerivationOutputs},
     * Guile {@code derivation}): every output path {@code ""} and {@code env[id] = ""} for
     * every output id, inserted if missing; hash fields kept.
     */
    public Derivation masked() {
        SortedMap<String, DerivationOutput> o = new TreeMap<>(ByteOrder.COMPARATOR);
        SortedMap<String, String> e = new TreeMap<>(env);
        for (Map.Entry<String, DerivationOutput> out : outputs.entrySet()) {
            o.put(out.getKey(), out.getValue().withPath(""));
            e.put(out.getKey(), "");
        }
        // Only "" was added to already-valid strings: no re-validation needed.
        return new Derivation(Collections.unmodifiableSortedMap(o), inputDrvs, inputSrcs, platform, builder, args,
                Collections.unmodifiableSortedMap(e));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Derivation d && d.outputs.equals(outputs) && d.inputDrvs.equals(inputDrvs)
                && d.inputSrcs.equals(inputSrcs) && d.platform.equals(platform) && d.builder.equals(builder)
                && d.args.equals(args) && d.env.equals(env);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outputs, inputDrvs, inputSrcs, platform, builder, args, env);
    }

    /** The ATerm text. */
    @Override
    public String toString() {
        return DerivationPrinter.printString(this);
    }
}
