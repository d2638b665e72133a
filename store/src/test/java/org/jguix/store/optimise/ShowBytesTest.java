package org.jguix.store.optimise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code misc.cc:showBytes}; the values with a source were printed by guix-daemon 1.5.0. */
class ShowBytesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0|\"   0  bytes\"",                 // gc scenario: [   0  bytes] deleting …
        "431|\" 431  bytes\"",
        "1024|\"1024  bytes\"",              // the unit starts strictly above 1 KiB
        "1025|\"   1.00 KiB\"",
        "1221|\"   1.19 KiB\"",              // fixtures/wire/maintenance
        "1152|\"   1.12 KiB\"",              // 1.125: half to even, as std::format rounds
        "1168|\"   1.14 KiB\"",
        "20000|\"  19.53 KiB\"",             // gc-verify-optimize: 19.53 KiB freed by hard-linking 1 files
        "2566107|\"   2.45 MiB\"",           // gc scenario: [   2.45 MiB] deleting …-busybox
        "1073741825|\"   1.00 GiB\"",
        "-4096|\"-4096  bytes\"",            // note: currently hard linking saves -4096  bytes
        "-5000000|\"-5000000  bytes\"",      // negative sizes never take a unit (llabs of a comparison)
    })
    void likeGuixDaemon(long bytes, String shown) {
        assertEquals(shown, ShowBytes.of(bytes));
    }
}
