package org.jguix.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@code Settings::pack}, the {@code _NIX_OPTIONS} of builtin builders: only what guix-daemon
 * keeps in its settings map, in key order. The expected texts are the real daemon's (the
 * builtin-download scenario records them with a {@code $GUIX} wrapper).
 */
class SettingsPackTest {
    @Test
    void defaultsAssignedToFieldsAreNotPacked() throws Exception {
        // guix-daemon --no-substitutes, before any client: main's settings.set calls only.
        Settings s = Settings.DEFAULTS.with("build-use-substitutes", "false");
        assertEquals("build-use-substitutes=false\nsubstitute-urls=https://bordeaux.guix.gnu.org https://ci.guix.gnu.org\n",
                s.pack());
    }

    @Test
    void whatAGuixBuildClientSetsIsPackedInKeyOrder() throws Exception {
        // RUN: real guix-daemon --build-users-group=guixbuild --no-substitutes, `guix build' as root.
        Settings s = Settings.DEFAULTS.withField("build-users-group", "guixbuild")
                .with("build-use-substitutes", "false").with("build-fallback", "false")
                .with("user-name", "root").with("print-extended-build-trace", "1").with("locale", "C.UTF-8")
                .with("multiplexed-build-output", "true").with("terminal-columns", "80");
        assertEquals("""
                build-fallback=false
                build-use-substitutes=false
                locale=C.UTF-8
                multiplexed-build-output=true
                print-extended-build-trace=1
                substitute-urls=https://bordeaux.guix.gnu.org https://ci.guix.gnu.org
                terminal-columns=80
                user-name=root
                """, s.pack());
    }

    @Test
    void aFieldIsReadBackButPackedOnlyOnceSet() throws Exception {
        Settings s = Settings.DEFAULTS.withField("build-use-chroot", "false");
        assertFalse(s.getBool("build-use-chroot", true));
        assertFalse(s.pack().contains("build-use-chroot"));
        assertEquals(true, s.with("build-cores", "0").pack().contains("build-cores=0\n"),
                "a client's build-cores is settings.set");
    }

    @Test
    void newlinesAreRefused() {
        assertEquals("invalid option name/value",
                assertThrows(SettingsException.class, () -> Settings.DEFAULTS.with("a", "b\nc").pack()).getMessage());
        assertThrows(SettingsException.class, () -> Settings.DEFAULTS.with("a=b", "c").pack());
    }
}
