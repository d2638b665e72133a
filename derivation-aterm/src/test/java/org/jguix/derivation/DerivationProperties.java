package org.jguix.derivation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.storepath.FixedOutputHash;
import org.jguix.testsupport.DrvFixtures;

/** print∘parse = id on generated derivations; the parser is total on hostile bytes. */
class DerivationProperties {
    private static final DerivationParser PARSER = new DerivationParser();

    /** Byte strings biased towards what needs escaping and towards Latin-1. */
    private static Arbitrary<String> bytes() {
        Arbitrary<Character> special = Arbitraries.of('"', '\\', '\n', '\r', '\t', '\u00e9', '\u00ff', '\u0001', '(', ',', ']');
        Arbitrary<Character> any = Arbitraries.chars().range('\u0001', '\u00ff');
        return Arbitraries.frequencyOf(Tuple.of(3, special), Tuple.of(7, any)).list().ofMaxSize(12)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                });
    }

    private static Arbitrary<String> paths() {
        return bytes().map(s -> "/" + s);
    }

    private static Arbitrary<DerivationOutput> outputs() {
        Arbitrary<DerivationOutput> regular = paths().map(DerivationOutput::regular);
        Arbitrary<DerivationOutput> fixed = Combinators.combine(paths(), Arbitraries.of(HashAlgorithm.class),
                Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofSize(64))
                .as((p, a, r, b) -> DerivationOutput.fixed(p,
                        new FixedOutputHash(r, Hash.of(a, java.util.Arrays.copyOf(b, a.digestSize())))));
        return Arbitraries.frequencyOf(Tuple.of(4, regular), Tuple.of(1, fixed));
    }

    @Provide
    Arbitrary<Derivation> derivations() {
        Arbitrary<Map<String, DerivationOutput>> outs = Arbitraries.maps(bytes(), outputs()).ofMaxSize(3);
        Arbitrary<Map<String, Set<String>>> ins = Arbitraries.maps(paths(), bytes().set().ofMaxSize(3)).ofMaxSize(3);
        Arbitrary<Set<String>> srcs = paths().set().ofMaxSize(3);
        Arbitrary<List<String>> args = bytes().list().ofMaxSize(4);
        Arbitrary<Map<String, String>> env = Arbitraries.maps(bytes(), bytes()).ofMaxSize(5);
        return Combinators.combine(outs, ins, srcs, bytes(), bytes(), args, env).as((o, i, s, p, b, a, e) -> {
            try {
                return Derivation.of(o, i, s, p, b, a, e);
            } catch (InvalidDerivationException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    @Property(tries = 300)
    void parseOfPrintIsIdentity(@ForAll("derivations") Derivation drv) throws IOException {
        byte[] printed = DerivationPrinter.print(drv);
        Derivation back = PARSER.parse(printed);
        assertEquals(drv, back);
        assertArrayEquals(printed, DerivationPrinter.print(back));
    }

    /** Any bytes: a derivation that prints back to the same bytes, or a typed error. */
    @Property(tries = 1000)
    void parserIsTotalOnArbitraryBytes(@ForAll byte[] input) {
        accepted(input);
    }

    @Provide
    Arbitrary<byte[]> mutatedRealDrvs() throws IOException {
        List<byte[]> reals = DrvFixtures.fixtures().stream().map(DrvFixtures.Fixture::bytes).toList();
        Arbitrary<byte[]> real = Arbitraries.of(reals);
        return Combinators.combine(real, Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1), Arbitraries.bytes()).as((b, kind, where, value) -> {
                    int at = (int) (where * b.length);
                    byte[] r;
                    switch (kind) {
                        case 0 -> { // replace one byte
                            r = b.clone();
                            r[Math.min(at, b.length - 1)] = value;
                        }
                        case 1 -> { // delete one byte
                            r = new byte[b.length - 1];
                            int i = Math.min(at, b.length - 1);
                            System.arraycopy(b, 0, r, 0, i);
                            System.arraycopy(b, i + 1, r, i, b.length - i - 1);
                        }
                        case 2 -> { // insert one byte
                            r = new byte[b.length + 1];
                            System.arraycopy(b, 0, r, 0, at);
                            r[at] = value;
                            System.arraycopy(b, at, r, at + 1, b.length - at);
                        }
                        default -> r = java.util.Arrays.copyOf(b, at); // truncate
                    }
                    return r;
                });
    }

    @Property(tries = 2000)
    void parserIsTotalOnMutatedRealDrvs(@ForAll("mutatedRealDrvs") byte[] input) {
        accepted(input);
    }

    private static void accepted(byte[] input) {
        try {
            Derivation drv = PARSER.parse(input);
            assertArrayEquals(input, DerivationPrinter.print(drv), "accepted input must print back identically");
        } catch (DerivationParseException expected) {
            // typed error: fine. Anything else (RuntimeException) fails the property.
        }
    }
}
