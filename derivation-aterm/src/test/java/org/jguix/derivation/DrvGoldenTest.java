package org.jguix.derivation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;
import org.jguix.testsupport.DrvFixtures;
import org.jguix.testsupport.DrvFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real {@code .drv} of {@code fixtures/drv} against the real client's reading of it. */
class DrvGoldenTest {
    static List<Fixture> fixtures() throws IOException {
        return DrvFixtures.fixtures();
    }

    private static StorePath drvPath(Fixture f) throws IOException {
        return StoreDir.of("/gnu/store").parsePath(f.drvPath());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void printOfParseIsIdentity(Fixture f) throws IOException {
        assertArrayEquals(f.bytes(), DerivationPrinter.print(DrvFixtures.parse(f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void drvPathIsTheRealOne(Fixture f) throws IOException {
        StorePath real = drvPath(f);
        Derivation drv = DrvFixtures.parse(f);
        assertEquals(real, DerivationPaths.drvPath(real.dir(), DerivationPaths.drvName(real), drv));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void outputPathsAreTheRealOnes(Fixture f) throws IOException {
        StorePath real = drvPath(f);
        Derivation drv = DrvFixtures.parse(f);
        DerivationHasher hasher = new DerivationHasher(DrvFixtures.loader());
        Map<String, String> computed = new TreeMap<>();
        DerivationPaths.outputPaths(real.dir(), drv, DerivationPaths.drvName(real), hasher)
                .forEach((id, p) -> computed.put(id, p.absolute()));
        assertEquals(f.outputs(), computed);
        DerivationPaths.check(real, drv, hasher);
        // Rebuilding from the masked form, as the Guile client does, gives the same file.
        assertEquals(drv, DerivationPaths.withOutputPaths(real.dir(), drv.masked(), DerivationPaths.drvName(real), hasher));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void hashModuloIsGuixDerivationHash(Fixture f) throws IOException {
        DerivationHasher hasher = new DerivationHasher(DrvFixtures.loader());
        assertEquals(f.hashModulo(), hasher.hashModulo(DrvFixtures.parse(f)).toBase16());
        assertEquals(f.hashModulo(), hasher.hashModulo(f.drvPath()).toBase16());
    }

    /** Same fixed output, different builder: dependents' hashes and paths do not change. */
    @Test
    void fixedOutputInputsAreReplacedByTheirFixedHash() throws IOException {
        Map<String, Fixture> byName = new TreeMap<>();
        for (Fixture f : DrvFixtures.fixtures()) {
            byName.put(f.name(), f);
        }
        assertFalse(byName.get("fod-flat").drvPath().equals(byName.get("fod-flat-other").drvPath()));
        assertEquals(byName.get("fod-flat").hashModulo(), byName.get("fod-flat-other").hashModulo());
        assertEquals(byName.get("chain3-same-fod").outputs(), byName.get("chain3-other-fod").outputs());
    }
}
