package org.jguix.storepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.testsupport.DrvFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Store paths computed by the real guix client/daemon ({@code store-paths.tsv}). */
class StorePathsGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    static List<Arguments> rows() throws IOException {
        return DrvFixtures.table("store-paths.tsv").stream().map(r -> Arguments.of((Object) r)).toList();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("rows")
    void sameAsGuix(String[] row) throws IOException {
        StoreDir dir = StoreDir.of("/gnu/store");
        String expected = row[row.length - 1];
        StorePath computed = switch (row[0]) {
            case "text" -> {
                List<StorePath> refs = new ArrayList<>();
                for (String r : row[3].isEmpty() ? new String[0] : row[3].split(" ")) {
                    refs.add(dir.parsePath(r));
                }
                yield StorePaths.makeTextPath(dir, row[1], HEX.parseHex(row[2]), refs);
            }
            case "fixed" -> {
                HashAlgorithm a = HashAlgorithm.parse(row[3]);
                yield StorePaths.makeFixedOutputPath(dir,
                        new FixedOutputHash(row[2].equals("recursive"), Hash.parseBase16(a, row[4])), row[1]);
            }
            case "storepath" -> StorePaths.makeStorePath(dir, row[1], Hash.parseBase16(HashAlgorithm.SHA256, row[2]), row[3]);
            case "output" -> StorePaths.makeOutputPath(dir, row[1], Hash.parseBase16(HashAlgorithm.SHA256, row[2]), row[3]);
            default -> throw new AssertionError("unknown row kind " + row[0]);
        };
        assertEquals(expected, computed.absolute());
        assertEquals(computed, dir.parsePath(expected));
    }

    @Test
    void specWorkedExample() throws IOException {
        StoreDir dir = StoreDir.of("/gnu/store");
        assertEquals("/gnu/store/3qfa38x5ns7r5wn2mjnd2vnrsj1wircv-hello.txt",
                StorePaths.makeTextPath(dir, "hello.txt", "hello world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        List.of()).absolute());
    }

    @Test
    void namesAreCheckedInTheDaemonsWords() throws IOException {
        assertEquals("invalid name: `.x' (can't begin with dot)",
                assertThrows(InvalidStorePathException.class, () -> StoreName.check(".x")).getMessage());
        assertEquals("invalid character `/' in name `a/b'",
                assertThrows(InvalidStorePathException.class, () -> StoreName.check("a/b")).getMessage());
        StoreName.check("");
        StoreName.check("a".repeat(StoreName.MAX_LENGTH));
        assertThrows(InvalidStorePathException.class, () -> StoreName.check("a".repeat(StoreName.MAX_LENGTH + 1)));
        StoreDir dir = StoreDir.of("/gnu/store");
        assertEquals("path `/gnu/store/x/y' is not in the store",
                assertThrows(InvalidStorePathException.class, () -> dir.parsePath("/gnu/store/x/y")).getMessage());
        assertThrows(InvalidStorePathException.class, () -> dir.parsePath("/gnu/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-x"));
        assertThrows(InvalidStorePathException.class, () -> dir.parsePath("/gnu/store/short-x"));
        assertThrows(InvalidStorePathException.class, () -> StoreDir.of("/gnu/store/"));
        assertThrows(InvalidStorePathException.class, () -> StoreDir.of("gnu/store"));
        assertThrows(InvalidStorePathException.class, () -> StoreDir.of("/gnu//store"));
    }

    @Test
    void byteOrderPutsUpperCaseFirst() {
        List<String> l = new ArrayList<>(List.of("weird", "out", "_z", "A", "\u00e9", "a"));
        l.sort(ByteOrder.COMPARATOR);
        assertEquals(List.of("A", "_z", "a", "out", "weird", "\u00e9"), l);
    }
}
