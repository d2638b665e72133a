package org.jguix.derivation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;
import org.jguix.testsupport.DrvFixtures;
import org.jguix.testsupport.DrvFixtures.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken siblings {@code NAME.drv.DEFECT}: each must fail with exactly the message in
 * {@code NAME.drv.DEFECT.error} — when parsing, or else when its outputs are checked
 * (as if registered at the original's {@code .drv} path).
 */
class BrokenDrvTest {
    static List<Path> broken() throws IOException {
        try (Stream<Path> s = Files.list(DrvFixtures.DIR)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.contains(".drv.") && !n.endsWith(".error") && !n.endsWith(".daemon");
            }).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void failsWithTheExpectedMessage(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String expected = Files.readString(file.resolveSibling(fileName + ".error"), StandardCharsets.UTF_8).strip();
        byte[] bytes = Files.readAllBytes(file);
        DerivationException e = assertThrows(DerivationException.class, () -> {
            Derivation drv = new DerivationParser().parse(bytes);
            String original = fileName.substring(0, fileName.indexOf(".drv."));
            Fixture f = DrvFixtures.fixtures().stream().filter(x -> x.name().equals(original)).findFirst().orElseThrow();
            StorePath at = StoreDir.of("/gnu/store").parsePath(f.drvPath());
            DerivationPaths.check(at, drv, new DerivationHasher(DrvFixtures.loader()));
        });
        assertEquals(expected, e.getMessage());
        if (fileName.contains("truncated") || fileName.endsWith(".empty")) {
            assertTrue(e instanceof DerivationTruncatedException, "EOF must be told apart: " + e);
        }
    }
}
