package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/** dump∘restore = id on arbitrary trees; the reader is total on arbitrary and mutated bytes. */
class NarProperties {
    private Path tmp;

    @BeforeTry
    void makeTmp() throws IOException {
        tmp = Files.createTempDirectory("nar-prop");
    }

    @AfterTry
    void removeTmp() throws IOException {
        TreeDeleter.delete(tmp);
    }

    /** Tree on disk → dump equals our independent encoding of the model → restore → dump again equal. */
    @Property(tries = 60)
    void dumpRestoreDumpIsIdentity(@ForAll("trees") TreeModel tree) throws IOException {
        Path original = tmp.resolve("original");
        tree.write(original);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        tree.emit(new NarWriter(expected));

        ByteArrayOutputStream dumped = new ByteArrayOutputStream();
        NarDumper.dump(original, dumped);
        assertArrayEquals(expected.toByteArray(), dumped.toByteArray());

        Path restored = tmp.resolve("restored");
        NarRestorer.restore(new ByteArrayInputStream(dumped.toByteArray()), restored);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        NarDumper.dump(restored, again);
        assertArrayEquals(dumped.toByteArray(), again.toByteArray());
    }

    /** Arbitrary bytes: only the module's typed exceptions (or, rarely, a valid NAR). */
    @Property(tries = 2000)
    void readerIsTotalOnArbitraryBytes(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
        readCanonicallyOrRefuse(bytes);
    }

    /** Arbitrary bytes after a valid header, so the parser gets past the magic. */
    @Property(tries = 2000)
    void readerIsTotalAfterTheMagic(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
        byte[] withMagic = Arrays.copyOf(NarReaderTest.HELLO, 16 + bytes.length);
        System.arraycopy(bytes, 0, withMagic, 16, bytes.length);
        readCanonicallyOrRefuse(withMagic);
    }

    /** Valid NARs with a few bytes changed, cut or spliced: refused with a typed error, or canonical. */
    @Property(tries = 3000)
    void readerIsTotalOnMutatedNars(@ForAll("mutated") byte[] nar) throws IOException {
        readCanonicallyOrRefuse(nar);
    }

    private static void readCanonicallyOrRefuse(byte[] bytes) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        NarReader reader = new NarReader(new ByteArrayInputStream(bytes));
        try {
            reader.transferTo(new NarWriter(copy));
        } catch (NarException expected) {
            return;
        }
        // Accepted ⇔ canonical: the accepted prefix re-encodes to exactly the bytes read.
        assertArrayEquals(Arrays.copyOf(bytes, (int) reader.offset()), copy.toByteArray());
    }

    @Provide
    Arbitrary<byte[]> mutated() throws IOException {
        List<byte[]> bases = List.of(Fixtures.nar("tree"), Fixtures.nar("odd-names"), Fixtures.nar("two"),
                Fixtures.nar("executable"), Fixtures.nar("symlink"));
        Arbitrary<byte[]> base = Arbitraries.of(bases);
        return Combinators.combine(base, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes(), Arbitraries.integers().between(1, 4))
                .as((b, kind, where, value, count) -> {
                    byte[] m = b.clone();
                    int at = where % m.length;
                    switch (kind) {
                        case 0 -> { // overwrite a few bytes
                            for (int i = 0; i < count && at + i < m.length; i++) {
                                m[at + i] = value;
                            }
                        }
                        case 1 -> m[at] ^= (byte) (1 << (count + value & 7)); // flip one bit
                        case 2 -> m = Arrays.copyOf(m, at); // cut
                        default -> { // delete 8 bytes (a whole field) from an 8-aligned spot
                            int from = at & ~7;
                            byte[] d = new byte[Math.max(0, m.length - 8)];
                            System.arraycopy(m, 0, d, 0, Math.min(from, d.length));
                            if (from + 8 < m.length) {
                                System.arraycopy(m, from + 8, d, from, m.length - from - 8);
                            }
                            m = d;
                        }
                    }
                    return m;
                });
    }

    @Provide
    Arbitrary<TreeModel> trees() {
        Arbitrary<TreeModel> leaf = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                        .as(TreeModel.File::new),
                targets().map(TreeModel.Link::new));
        return Arbitraries.recursive(() -> leaf,
                sub -> Arbitraries.maps(names(), sub).ofMaxSize(6).map(TreeModel.Dir::new), 0, 4);
    }

    private static Arbitrary<String> names() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~')
                .withChars('\n', '\t', '\u007f', 'é', 'ß', '€', '\uFFFD', '\uE000', '\u00ff').ofMinLength(1).ofMaxLength(10);
        return Arbitraries.oneOf(plain, plain.map(s -> s + "😀"), plain.map(s -> "𝄞" + s))
                .filter(s -> !s.equals(".") && !s.equals("..") && s.indexOf('/') < 0);
    }

    private static Arbitrary<String> targets() {
        return Arbitraries.strings().withCharRange('a', 'e').withChars('/', '.', ' ', 'é').ofMinLength(1).ofMaxLength(20)
                .filter(s -> Path.of(s).toString().equals(s));
    }
}
