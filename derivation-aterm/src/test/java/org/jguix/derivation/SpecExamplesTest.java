package org.jguix.derivation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.hash.Hash;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;
import org.junit.jupiter.api.Test;

/**
 * Literal bytes with stated provenance: {@code /work/shared/spec/derivations-and-store-paths.md}
 * §7.1 and §10, texts written by the real guix 1.5.0 client (RUN there).
 */
class SpecExamplesTest {
    /** §7.1: {@code /gnu/store/xm2m63q8sjwqacjrxbxz2472x7pk8fk7-hello.drv}, 283 bytes. */
    static final String HELLO = "Derive([(\"out\",\"/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hello\",\"\",\"\")],[],"
            + "[\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\"],\"x86_64-linux\","
            + "\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\",[\"-c\",\"echo hi > $out\"],"
            + "[(\"out\",\"/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hello\")])";
    /** §10: the masked hello text and its sha256. */
    static final String HELLO_MASKED = "Derive([(\"out\",\"\",\"\",\"\")],[],"
            + "[\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\"],\"x86_64-linux\","
            + "\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\",[\"-c\",\"echo hi > $out\"],[(\"out\",\"\")])";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void helloRoundTripsAndHashesAsInTheSpec() throws IOException {
        assertEquals(283, HELLO.length());
        Derivation drv = new DerivationParser().parse(bytes(HELLO));
        assertArrayEquals(bytes(HELLO), DerivationPrinter.print(drv));
        assertEquals(HELLO_MASKED, DerivationPrinter.printString(drv.masked()));
        DerivationHasher hasher = new DerivationHasher(p -> {
            throw new IOException("no inputs expected");
        });
        assertEquals("1f1d3da7bc33c43bd1dca1cd131da49d8e97f2bf7920b3c4de199891994da8ac",
                hasher.hashModulo(drv.masked()).toBase16());
        assertEquals("627c10f8d0f5fefd339d51a457c6b12e6c7d6bfab7bbd3b7d16b573195bc6b29",
                hasher.hashModulo(drv).toBase16());
        StoreDir dir = StoreDir.of("/gnu/store");
        StorePath path = DerivationPaths.drvPath(dir, "hello", drv);
        assertEquals("/gnu/store/xm2m63q8sjwqacjrxbxz2472x7pk8fk7-hello.drv", path.absolute());
        DerivationPaths.check(path, drv, hasher);
    }

    /** A different store directory gives different paths: nothing assumes /gnu/store. */
    @Test
    void storeDirIsPartOfEveryPath() throws IOException {
        Derivation drv = new DerivationParser().parse(bytes(HELLO));
        StoreDir other = StoreDir.of("/tmp/store");
        Derivation elsewhere = DerivationPaths.withOutputPaths(other, drv.masked(), "hello",
                new DerivationHasher(p -> null));
        assertTrue(elsewhere.outputs().get("out").path().startsWith("/tmp/store/"));
        assertTrue(!elsewhere.outputs().get("out").path().endsWith("4l83xigvay3qp264228ny22pp3mr1d79-hello"));
    }

    /** §8: the daemon's rejection of {@code bogus.drv}, message verbatim. */
    @Test
    void bogusOutputIsRejectedInTheDaemonsWords() throws IOException {
        String bogus = "Derive([(\"out\",\"/gnu/store/00000000000000000000000000000000-bogus\",\"\",\"\")],[],[],"
                + "\"x86_64-linux\",\"/bin/sh\",[],[(\"out\",\"/gnu/store/00000000000000000000000000000000-bogus\")])";
        Derivation drv = new DerivationParser().parse(bytes(bogus));
        StorePath at = StoreDir.of("/gnu/store").parsePath("/gnu/store/fc3is2hz8nldxik581f24nf2a91d1kv8-bogus.drv");
        assertEquals(at, DerivationPaths.drvPath(at.dir(), "bogus", drv));
        IncorrectOutputException e = assertThrows(IncorrectOutputException.class,
                () -> DerivationPaths.check(at, drv, new DerivationHasher(p -> null)));
        assertEquals("derivation `/gnu/store/fc3is2hz8nldxik581f24nf2a91d1kv8-bogus.drv' has incorrect output "
                + "`/gnu/store/00000000000000000000000000000000-bogus', should be "
                + "`/gnu/store/j5svl49ac85vqzlp78qy3wsfclfzd9iz-bogus'", e.getMessage());
    }

    /** Cut at every offset: always a truncation error, never anything else. */
    @Test
    void everyPrefixIsTruncated() {
        byte[] all = bytes(HELLO);
        for (int n = 0; n < all.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(all, n);
            DerivationTruncatedException e = assertThrows(DerivationTruncatedException.class,
                    () -> new DerivationParser().parse(prefix), "prefix " + n);
            assertEquals(n, e.offset(), e.getMessage());
        }
    }

    @Test
    void fixedOutputHashModuloIsTheFixedString() throws IOException {
        Derivation fod = Derivation.of(
                Map.of("out", new DerivationOutput("/gnu/store/md8jpw5bhgj9bi5raybcx2qlhnn3higm-fod-flat", "sha256",
                        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")),
                Map.of("/gnu/store/x-in.drv", Set.of("out")), Set.of(), "x86_64-linux", "/bin/sh", List.of(), Map.of());
        // §9: inputs are not loaded for a fixed-output derivation.
        Hash h = new DerivationHasher(p -> {
            throw new IOException("must not load " + p);
        }).hashModulo(fod);
        assertEquals("2dca92b8da68349de5816352b31885f16ad655628522f88edee8ea2a42627fe4", h.toBase16());
    }

    @Test
    void nulAndWideCharsAreRejectedByTheModel() {
        assertThrows(InvalidDerivationException.class, () -> Derivation.of(Map.of(), Map.of(), Set.of(), "a\0b",
                "/bin/sh", List.of(), Map.of()));
        assertThrows(InvalidDerivationException.class, () -> Derivation.of(Map.of(), Map.of(), Set.of(), "x",
                "/bin/sh", List.of(), Map.of("snow", "\u2603")));
    }

    @Test
    void aCycleIsReportedNotLooped() throws IOException {
        Derivation a = Derivation.of(Map.of("out", DerivationOutput.regular("/gnu/store/a")),
                Map.of("/gnu/store/b.drv", Set.of("out")), Set.of(), "x", "/bin/sh", List.of(), Map.of());
        Derivation b = Derivation.of(Map.of("out", DerivationOutput.regular("/gnu/store/b")),
                Map.of("/gnu/store/a.drv", Set.of("out")), Set.of(), "x", "/bin/sh", List.of(), Map.of());
        DerivationHasher hasher = new DerivationHasher(p -> p.equals("/gnu/store/a.drv") ? a : b);
        InvalidDerivationException e = assertThrows(InvalidDerivationException.class, () -> hasher.hashModulo(a));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }
}
