package org.jguix.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jguix.testsupport.DrvFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flat file hashes of {@code fixtures/drv/hash-inputs} in every algorithm and format
 * against the real {@code guix hash -S none -H ALGO -f FORMAT} ({@code guix-hash.tsv}).
 */
class GuixHashGoldenTest {
    static List<String[]> rows() throws IOException {
        return DrvFixtures.table("guix-hash.tsv").stream().filter(r -> r[1].equals("none")).toList();
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("rows")
    void sameAsGuixHash(String file, String serializer, String algo, String format, String expected) throws IOException {
        byte[] data = Files.readAllBytes(DrvFixtures.DIR.resolve("hash-inputs").resolve(file));
        Hash h = Hash.digest(HashAlgorithm.parse(algo), data);
        HashFormat f = HashFormat.lookup(format).orElseThrow();
        assertEquals(expected, f.format(h));
        if (f != HashFormat.BASE32) {
            assertEquals(h, Hash.parse(h.algorithm(), expected));
        }
    }
}
