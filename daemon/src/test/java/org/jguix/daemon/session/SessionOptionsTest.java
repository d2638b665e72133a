package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.server.Peer;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.StringPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SetOptions as a per-session value: a trusted client's keys override the daemon's settings, an
 * untrusted client's become {@code untrusted-KEY} (except the always-stored build knobs), a client
 * can disable substitutes but not enable them, and nothing leaks into other sessions. Observed
 * through SubstituteURLs, which reads exactly those settings (spec §5.34, WIRE there).
 */
class SessionOptionsTest {
    @TempDir
    Path tmp;

    static final Settings DAEMON = Settings.DEFAULTS.with("substitute-urls", "https://a.example https://b.example");

    static Request.SetOptions options(boolean useSubstitutes, StringPair... pairs) {
        return Request.SetOptions.current(false, false, false, 0, true, 0, 0, true, useSubstitutes, List.of(pairs));
    }

    Object urls(TestDaemon d, Peer peer, Request... before) throws IOException {
        Request[] all = java.util.Arrays.copyOf(before, before.length + 1);
        all[before.length] = new Request.SubstituteURLs();
        ClientView v = new ClientView(d.replay(peer, new java.io.ByteArrayInputStream(TestDaemon.client(all))));
        for (Request q : before) {
            v.answer(q.operation());
        }
        return v.answer(Operation.SUBSTITUTE_URLS);
    }

    @Test
    void substituteUrlsFollowTheSessionsOptions() throws IOException {
        Peer untrusted = new Peer(77, TestDaemon.UID + 1, -1, false, "unix");
        StringPair client = new StringPair("substitute-urls", "https://client.example");
        try (TestDaemon d = new TestDaemon(tmp, DAEMON)) {
            assertEquals(List.of("https://a.example", "https://b.example"), urls(d, TestDaemon.trustedPeer()));
            assertEquals(List.of("https://client.example"), urls(d, TestDaemon.trustedPeer(), options(true, client)));
            assertEquals(List.of("https://client.example"), urls(d, untrusted, options(true, client)));
            assertEquals(List.of(), urls(d, TestDaemon.trustedPeer(), options(false, client)));
            // once disabled, a later SetOptions cannot enable them again
            assertEquals(List.of(), urls(d, TestDaemon.trustedPeer(), options(false), options(true)));
            // nothing carried over from the sessions before
            assertEquals(List.of("https://a.example", "https://b.example"), urls(d, TestDaemon.trustedPeer()));
        }
        try (TestDaemon d = new TestDaemon(tmp.resolve("no-subst"), DAEMON.with("build-use-substitutes", "false"))) {
            assertEquals(List.of(), urls(d, TestDaemon.trustedPeer(), options(true, client)));
        }
    }

    @Test
    void untrustedKeysArePrefixedExceptTheBuildKnobs() throws IOException {
        SessionOptions o = SessionOptions.initial(Settings.DEFAULTS, Verbosity.INFO, true);
        try (TestDaemon d = new TestDaemon(tmp)) {
            SessionState untrusted = d.server.newState(new Peer(1, TestDaemon.UID + 1, -1, false, "unix"),
                    org.jguix.wire.ProtocolVersion.CURRENT);
            SessionOptions next = SetOptionsOp.apply(o, Request.SetOptions.current(true, true, true, 3, false, 2, 1,
                    true, true, List.of(new StringPair("build-max-jobs", "4"), new StringPair("user-name", "x"),
                            new StringPair("build-use-chroot", "false"))), untrusted);
            untrusted.close();
            assertEquals("4", next.settings().getString("build-max-jobs", ""));
            assertEquals("x", next.settings().getString("untrusted-user-name", ""));
            assertEquals("true", next.settings().getString("build-use-chroot", ""));
            assertEquals("false", next.settings().getString("untrusted-build-use-chroot", ""));
            assertEquals("true", next.settings().getString("build-fallback", ""));
            assertEquals(3, next.verbosity());
            assertEquals(1, next.logType());
            assertTrue(next.keepFailed());
        }
    }

    @Test
    void everyOperationHasAHandler() {
        OpTable t = OpTable.standard();
        for (Operation<?, ?> op : Operation.all()) {
            assertTrue(t.covers(op), op.toString());
        }
    }
}
