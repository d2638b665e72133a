package org.jguix.daemon.session;

import static org.jguix.daemon.session.ClientView.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jguix.daemon.server.Peer;
import org.jguix.wire.Operation;
import org.jguix.wire.Reply;
import org.jguix.wire.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CollectGarbage, OptimiseStore and VerifyStore through a session (spec §5.17, §5.31, §5.32): the
 * replies, the messages at the client's verbosity, and guix-daemon's fatal and recoverable errors.
 */
class GcSessionTest {
    static final long UNLIMITED = -1L;

    @TempDir
    Path tmp;

    static Request.CollectGarbage gc(int action, String... paths) {
        return new Request.CollectGarbage(action, List.of(paths), false, UNLIMITED);
    }

    @Test
    void listsAndDeletesDeadPaths() throws IOException {
        try (TestDaemon d = new TestDaemon(tmp)) {
            String[] items = d.addHelloAndRef();
            ClientView v = new ClientView(d.replay(TestDaemon.client(gc(0), gc(1), gc(3, items[0]), gc(2),
                    new Request.IsValidPath(items[0]))));
            assertEquals(new Reply.GcResult(List.of(), 0), v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(new Reply.GcResult(List.of(items).stream().sorted().toList(), 0),
                    v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(List.of("finding garbage collector roots...\n", "determining live/dead paths...\n",
                    "finding garbage collector roots...\n", "determining live/dead paths...\n"), v.messages);
            v.messages.clear();
            // hello.txt is referred to by ref.txt, which is dead too: both go
            Reply.GcResult specific = (Reply.GcResult) v.answer(Operation.COLLECT_GARBAGE);
            assertEquals(List.of(items).stream().sorted().toList(), specific.paths());
            assertEquals(("hello world\n" + "see " + items[0] + "\n").length(), specific.bytesFreed());
            assertEquals("finding garbage collector roots...\n", v.messages.get(0));
            assertTrue(v.messages.contains("[   0  bytes] deleting '" + items[1] + "'\n"), v.messages.toString());
            assertEquals(new Reply.GcResult(List.of(), 0), v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(false, v.answer(Operation.IS_VALID_PATH));
            assertTrue(v.atEnd());
            assertFalse(Files.exists(d.store.layout().file(items[0])));
        }
    }

    /** Unlike guix-daemon (whose fcntl locks make it ignore them), the collecting session keeps its own temp roots. */
    @Test
    void theCollectingSessionKeepsItsOwnTempRoots() throws IOException {
        try (TestDaemon d = new TestDaemon(tmp)) {
            String kept = d.addText("kept.txt", "kept\n");
            ClientView v = new ClientView(d.replay(TestDaemon.client(new Request.AddTempRoot(kept), gc(2),
                    new Request.IsValidPath(kept))));
            assertEquals(true, v.answer(Operation.ADD_TEMP_ROOT));
            assertEquals(new Reply.GcResult(List.of(), 0), v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(true, v.answer(Operation.IS_VALID_PATH));
        }
    }

    @Test
    void errorsAreGuixDaemons() throws IOException {
        try (TestDaemon d = new TestDaemon(tmp)) {
            String kept = d.addText("kept.txt", "kept\n");
            Files.createSymbolicLink(d.store.layout().stateDir().resolve("gcroots/kept"), Path.of(kept));
            ClientView v = new ClientView(d.replay(TestDaemon.client(gc(3, kept),
                    new Request.CollectGarbage(2, List.of(), true, UNLIMITED),
                    new Request.VerifyStore(false, false), new Request.OptimiseStore(),
                    new Request.IsValidPath(kept))));
            assertEquals(error("cannot delete path `" + kept + "' since it is still alive"),
                    v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(error("you are not allowed to ignore liveness"), v.answer(Operation.COLLECT_GARBAGE));
            assertEquals(false, v.answer(Operation.VERIFY_STORE), "no errors");
            assertEquals(true, v.answer(Operation.OPTIMISE_STORE));
            assertEquals(true, v.answer(Operation.IS_VALID_PATH));
            assertTrue(v.atEnd());

            // fatal: a path that is not in the store, and any GC over TCP
            v = new ClientView(d.replay(TestDaemon.client(gc(3, "/tmp/x"), new Request.IsValidPath(kept))));
            assertEquals(error("path `/tmp/x' is not in the store"), v.answer(Operation.COLLECT_GARBAGE));
            assertTrue(v.atEnd());
            Peer tcp = new Peer(-1, -1, -1, true, "tcp");
            v = new ClientView(d.replay(tcp, new ByteArrayInputStream(TestDaemon.client(gc(1),
                    new Request.IsValidPath(kept)))));
            assertEquals(error("Garbage collection is disabled for remote hosts."), v.answer(Operation.COLLECT_GARBAGE));
            assertTrue(v.atEnd());
        }
    }

    @Test
    void onlyTrustedClientsRepair() throws IOException {
        try (TestDaemon d = new TestDaemon(tmp)) {
            Peer stranger = new Peer(4242, TestDaemon.UID + 1, -1, false, "unix");
            ClientView v = new ClientView(d.replay(stranger, new ByteArrayInputStream(TestDaemon.client(
                    new Request.VerifyStore(true, true), new Request.VerifyStore(true, false)))));
            assertEquals(error("you are not privileged to repair paths"), v.answer(Operation.VERIFY_STORE));
            assertEquals(false, v.answer(Operation.VERIFY_STORE));
        }
    }
}
