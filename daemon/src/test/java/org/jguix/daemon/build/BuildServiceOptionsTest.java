package org.jguix.daemon.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.jguix.build.run.BuildOptions;
import org.jguix.daemon.config.Settings;
import org.junit.jupiter.api.Test;

/** A request's build options from its session's settings: chroot or not, and _NIX_OPTIONS. */
class BuildServiceOptionsTest {
    private static BuildOptions options(Settings s) throws Exception {
        return BuildService.options(s, false, false, true, OptionalInt.of(0), OptionalInt.of(0));
    }

    @Test
    void disableChrootAndATrustedClientsOverride() throws Exception {
        assertTrue(options(Settings.DEFAULTS).useChroot());
        Settings daemon = Settings.DEFAULTS.withField("build-use-chroot", "false"); // --disable-chroot
        assertFalse(options(daemon).useChroot());
        // SetOptions: a trusted client's build-use-chroot is settings.set, and Settings::update reads it.
        assertTrue(options(daemon.with("build-use-chroot", "true")).useChroot());
        // An untrusted one's is stored as untrusted-build-use-chroot: no effect.
        assertFalse(options(daemon.with("untrusted-build-use-chroot", "true")).useChroot());
    }

    @Test
    void nixOptionsArePacked() throws Exception {
        assertEquals("build-use-substitutes=true\nsubstitute-urls=https://bordeaux.guix.gnu.org https://ci.guix.gnu.org\n"
                + "user-name=root\n", options(Settings.DEFAULTS.with("user-name", "root")).nixOptions());
    }
}
