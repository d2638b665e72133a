package org.jguix.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.ListenAddress;
import org.junit.jupiter.api.Test;

/**
 * Expected texts were printed by the real guix-daemon 1.5.0 (Debian sid) for the same command
 * lines, with the program name as the only difference.
 */
class DaemonCommandLineTest {
    private static final String TRY = "Try `guix-daemon --help' or `guix-daemon --usage' for more information.";
    private final DaemonCommandLine cli = new DaemonCommandLine("guix-daemon");

    private Invocation parse(String... args) {
        return cli.parse(List.of(args), Map.of());
    }

    private DaemonConfig run(String... args) {
        return assertInstanceOf(Invocation.Run.class, parse(args)).config();
    }

    private void refused(int status, String message, String... args) {
        Invocation.Refuse r = assertInstanceOf(Invocation.Refuse.class, parse(args));
        assertEquals(message, r.message());
        assertEquals(status, r.status());
    }

    @Test
    void usageErrorsMatchArgp() {
        refused(64, "guix-daemon: unrecognized option '--foo'\n" + TRY, "--foo");
        refused(64, "guix-daemon: unrecognized option '--foo'\n" + TRY, "--foo=bar");
        refused(64, "guix-daemon: Too many arguments\n" + TRY, "extra");
        refused(64, "guix-daemon: invalid option -- 'x'\n" + TRY, "-x");
        refused(64, "guix-daemon: option requires an argument -- 'c'\n" + TRY, "-c");
        refused(64, "guix-daemon: option '--cores' requires an argument\n" + TRY, "--cores");
        refused(64, "guix-daemon: option '--disable-chroot' doesn't allow an argument\n" + TRY, "--disable-chroot=no");
        refused(64, "guix-daemon: Too many arguments\n" + TRY, "--gc-keep-outputs", "yes");
        refused(64, "guix-daemon: option '--d' is ambiguous; possibilities: '--disable-chroot' "
                + "'--disable-log-compression' '--discover' '--disable-deduplication' "
                + "'--disable-store-optimization' '--debug'\n" + TRY, "--d");
    }

    @Test
    void badValuesMatchGuixDaemon() {
        refused(1, "error: x: invalid number of rounds", "--rounds=x");
        refused(1, "error: xz: unknown compression type", "--log-compression=xz");
        refused(1, "error: 'maybe': invalid Boolean value", "--discover=maybe");
        refused(1, "error: 'true': invalid Boolean value", "--gc-keep-outputs=true");
        refused(1, "error: configuration setting `build-max-jobs' should have an integer value", "--max-jobs=abc");
    }

    @Test
    void unimplementedOptionsAreRefusedNotIgnored() {
        Invocation.Refuse r = assertInstanceOf(Invocation.Refuse.class, parse("--impersonate-linux-2.6"));
        assertTrue(r.message().contains("not supported yet"), r.message());
        assertInstanceOf(Invocation.Refuse.class, parse("--discover"));
        assertInstanceOf(Invocation.Run.class, parse("--discover=no"));
    }

    @Test
    void abbreviationsShortClustersAndSeparateArguments() {
        DaemonConfig c = run("--build-users=guixbuild", "-c4", "-M", "2", "--no-sub", "--max-s", "60", "--gc-keep-o");
        var s = c.settings();
        assertEquals("guixbuild", s.getString("build-users-group", ""));
        assertEquals("4", s.getString("build-cores", ""));
        assertEquals("2", s.getString("build-max-jobs", ""));
        assertEquals("false", s.getString("build-use-substitutes", ""));
        assertEquals("60", s.getString("build-max-silent-time", ""));
        assertEquals("true", s.getString("gc-keep-outputs", ""));
    }

    @Test
    void settingsEachOptionTouches() throws Exception {
        var s = run("--rounds=3", "--disable-chroot", "--chroot-directory=/a", "--chroot-directory", "/b=/c",
                "--lose-logs", "--cache-failures", "--disable-deduplication", "--gc-keep-derivations=no",
                "--substitute-urls=file:///x", "--timeout=5", "--system=i686-linux").settings();
        assertEquals(2, s.getLong("build-repeat", -1));
        assertFalse(s.getBool("build-use-chroot", true));
        assertEquals("/a /b=/c", s.getString("build-extra-chroot-dirs", ""));
        assertFalse(s.getBool("build-keep-log", true));
        assertTrue(s.getBool("build-cache-failure", false));
        assertFalse(s.getBool("auto-optimise-store", true));
        assertFalse(s.getBool("gc-keep-derivations", true));
        assertEquals("file:///x", s.getString("substitute-urls", ""));
        assertEquals(5, s.getLong("build-timeout", 0));
        assertEquals("i686-linux", s.getString("system", ""));
        // Options guix-daemon assigns to fields of `settings' are not in _NIX_OPTIONS; the others are.
        assertEquals("build-extra-chroot-dirs=/a /b=/c\nbuild-repeat=2\nbuild-timeout=5\nbuild-use-substitutes=true\n"
                + "substitute-urls=file:///x\n", s.pack());
    }

    @Test
    void defaultsAreGuixDaemons() throws Exception {
        DaemonConfig c = run();
        assertTrue(c.settings().getBool("build-use-substitutes", false));
        assertTrue(c.settings().getBool("build-use-chroot", false));
        assertEquals(1, c.settings().getLong("build-max-jobs", 0));
        assertEquals(DaemonConfig.LogCompression.GZIP, c.logCompression());
        assertEquals(List.of(new ListenAddress.Unix(Path.of("/var/guix/daemon-socket/socket"))), c.effectiveListen());
    }

    @Test
    void listenAddresses() {
        DaemonConfig c = run("--listen=/run/x/../s", "--listen=localhost", "--listen=127.0.0.1:1234", "--listen=[::1]:5");
        assertEquals(List.of(new ListenAddress.Unix(Path.of("/run/s")), new ListenAddress.Tcp("localhost", 44146),
                new ListenAddress.Tcp("127.0.0.1", 1234), new ListenAddress.Tcp("::1", 5)), c.listen());
        refused(1, "error: failed to look up 'localhost:abc': Name or service not known", "--listen=localhost:abc");
    }

    @Test
    void environmentPicksDirectories() {
        var inv = cli.parse(List.of(), Map.of("NIX_STORE_DIR", "/s/store", "GUIX_STATE_DIRECTORY", "/s/state",
                "GUIX_LOG_DIRECTORY", "/s/log", "GUIX_CONFIGURATION_DIRECTORY", "/s/etc"));
        var p = assertInstanceOf(Invocation.Run.class, inv).config().paths();
        assertEquals(Path.of("/s/store"), p.storeDir());
        assertEquals(Path.of("/s/state/db"), p.dbDir());
        assertEquals(Path.of("/s/state/daemon-socket/socket"), p.defaultSocket());
        assertEquals(Path.of("/s/log"), p.logDir());
        assertEquals(Path.of("/s/etc"), p.configDir());
    }

    @Test
    void helpUsageVersion() {
        String help = assertInstanceOf(Invocation.Print.class, parse("--help")).text();
        for (ArgpOption o : DaemonCommandLine.OPTIONS) {
            boolean hidden = List.of("no-build-hook", "disable-log-compression", "disable-store-optimization").contains(o.longName());
            assertEquals(!hidden, help.contains("--" + o.longName()), o.longName());
        }
        assertTrue(assertInstanceOf(Invocation.Print.class, parse("--usage")).text().startsWith("Usage: guix-daemon"));
        assertTrue(assertInstanceOf(Invocation.Print.class, parse("-V")).text().startsWith("guix-daemon (GNU Guix) 1.5.0"));
    }

    /**
     * _NIX_OPTIONS holds settings.set() entries only: guix-daemon 1.5.0 passed
     * "build-fallback=false\nbuild-use-substitutes=true\n…substitute-urls=…" to the agent, never
     * build-use-chroot or build-users-group (fields), even when given on the command line.
     */
    @Test
    void packHoldsMapEntriesNotFields() throws Exception {
        var s = run("--substitute-urls=http://127.0.0.1:9", "--build-users-group=guixbuild", "--disable-chroot",
                "--max-jobs=2").settings();
        assertEquals("build-max-jobs=2\nbuild-use-substitutes=true\nsubstitute-urls=http://127.0.0.1:9\n", s.pack());
        assertEquals("guixbuild", s.getString("build-users-group", ""));
        var client = s.with("build-fallback", "false").with("user-name", "root").with("build-use-chroot", "true");
        assertEquals("build-fallback=false\nbuild-max-jobs=2\nbuild-use-chroot=true\nbuild-use-substitutes=true\n"
                + "substitute-urls=http://127.0.0.1:9\nuser-name=root\n", client.pack());
        assertEquals("invalid option name/value",
                assertThrows(org.jguix.daemon.config.SettingsException.class,
                        () -> s.with("x", "a\nb").pack()).getMessage());
    }
}
