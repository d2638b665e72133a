package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceScannerTest {
    static final String BASH = "cmmm4rg0k9m1zgkxrm8a7yadbi7qfmmr"; // made-up hash parts in the base32 alphabet
    static final String GLIBC = "0123456789abcdfghijklmnpqrsvwxyz";
    static final String OTHER = "zyxwvsrqpnmlkjihgfdcba9876543210";

    @TempDir
    Path tmp;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void findsHashesInContentsNamesAndTargetsOfANar() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("bin"));
        Files.writeString(out.resolve("bin/sh"), "#!/gnu/store/" + BASH + "-bash-5.2/bin/bash\n");
        Files.createSymbolicLink(out.resolve("lib"), Path.of("/gnu/store/" + GLIBC + "-glibc/lib"));
        ReferenceScanner scanner = new ReferenceScanner(List.of(b(BASH), b(GLIBC), b(OTHER)));
        NarDigest d = NarHasher.hashPath(out, "sha256", scanner);
        assertTrue(scanner.isFound(0));
        assertTrue(scanner.isFound(1));
        assertFalse(scanner.isFound(2));
        assertEquals(2, scanner.found().size());
        assertEquals(NarHasher.hashPath(out, "sha256"), d);
    }

    @Test
    void findsAHashSplitAcrossEveryPossibleBoundary() {
        byte[] data = b("xx/gnu/store/" + BASH + "-bash yy");
        for (int cut = 0; cut <= data.length; cut++) {
            ReferenceScanner s = new ReferenceScanner(List.of(b(BASH)));
            s.write(data, 0, cut);
            s.write(data, cut, data.length - cut);
            assertTrue(s.isFound(0), "cut at " + cut);
        }
    }

    @Test
    void findsAHashWrittenOneByteAtATime() {
        ReferenceScanner s = new ReferenceScanner(List.of(b(OTHER), b(BASH)));
        for (byte x : b("--" + BASH + "--")) {
            s.write(x);
        }
        assertTrue(s.isFound(1));
        assertFalse(s.isFound(0));
    }

    @Test
    void aPrefixOrAStringWithANonBase32CharIsNoMatch() {
        ReferenceScanner s = new ReferenceScanner(List.of(b(BASH)));
        s.write(b(BASH.substring(0, 31) + "-" + BASH.substring(1) + "e" + BASH.substring(0, 31)));
        assertFalse(s.isFound(0));
        s.write(b(BASH.substring(31))); // completes the last 31 characters across writes
        assertTrue(s.isFound(0));
    }

    /** The scanner agrees with a naive substring search, whatever the chunking. */
    @Property(tries = 300)
    void agreesWithNaiveSearch(@ForAll("text") String text, @ForAll("candidates") List<String> candidates,
            @ForAll @IntRange(min = 1, max = 70) int chunk) {
        ReferenceScanner s = new ReferenceScanner(candidates.stream().map(ReferenceScannerTest::b).toList());
        byte[] data = b(text);
        for (int i = 0; i < data.length; i += chunk) {
            s.write(data, i, Math.min(chunk, data.length - i));
        }
        for (int i = 0; i < candidates.size(); i++) {
            assertEquals(text.contains(candidates.get(i)), s.isFound(i), candidates.get(i));
        }
    }

    /** Texts built from pieces of the candidates, base32 noise and separators, so matches happen. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(BASH, GLIBC, OTHER, BASH.substring(3), GLIBC.substring(0, 20), "-", "/", "e", "\0"),
                Arbitraries.strings().withChars("0123456789abcdfghijklmnpqrsvwxyz").ofMaxLength(40));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> candidates() {
        Arbitrary<String> random = Arbitraries.strings().withChars("0123456789abcdfghijklmnpqrsvwxyz").ofLength(32);
        return Arbitraries.oneOf(Arbitraries.of(BASH, GLIBC, OTHER), random).list().ofMinSize(1).ofMaxSize(5)
                .map(ArrayList::new);
    }

    @Test
    void manyCandidates() throws IOException {
        List<byte[]> cands = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(1);
        String alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
        for (int i = 0; i < 5000; i++) {
            StringBuilder h = new StringBuilder();
            for (int j = 0; j < 32; j++) {
                h.append(alphabet.charAt(r.nextInt(32)));
            }
            cands.add(b(h.toString()));
            if (i % 7 == 0) {
                sb.append("/gnu/store/").append(h).append("-x\n");
            }
        }
        ReferenceScanner s = new ReferenceScanner(cands);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(b(sb.toString()));
        bytes.writeTo(s);
        for (int i = 0; i < cands.size(); i++) {
            assertEquals(i % 7 == 0, s.isFound(i), "candidate " + i);
        }
    }
}
