package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreWriter.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterTest {
    @TempDir
    Path root;
    StoreDatabase db;
    StoreWriter writer;

    @BeforeEach
    void open() throws Exception {
        db = TestStores.open(root);
        writer = new StoreWriter(db, TestStores.canonicaliser(root), null);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private String text(String name, String content, String... refs) {
        return TestStores.textPath("/gnu/store", name, content, List.of(refs));
    }

    @Test
    void addWritesCanonicalContentAndRegistersItsNarHash() throws Exception {
        String p = text("hello.txt", "hello");
        var added = writer.add(p, t -> Files.writeString(t, "hello"), List.of(), Optional.empty(), null);
        assertTrue(added.written());
        Path f = db.layout().file(p);
        assertEquals("hello", Files.readString(f));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(f));
        NarDigest nar = NarHasher.hashPath(f, "sha256");
        ValidPathInfo info = db.queryPathInfo(p);
        assertEquals("sha256:" + nar.hex(), info.narHash());
        assertEquals(nar.narSize(), info.narSize());
        assertEquals(120, info.narSize()); // the NAR of a 5-byte regular file
        assertEquals(List.of(), tempFiles());
        assertFalse(Files.exists(Path.of(f + ".lock")), "lock file deleted after a successful add");
        assertFalse(writer.add(p, t -> { throw new AssertionError("already valid"); }, List.of(), Optional.empty(),
                null).written());
    }

    @Test
    void aDirectoryTreeIsCanonicalisedRecursively() throws Exception {
        String p = text("tree", "tree");
        writer.add(p, t -> {
            Files.createDirectories(t.resolve("bin"));
            Files.writeString(t.resolve("bin/run"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(t.resolve("bin/run"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createSymbolicLink(t.resolve("link"), Path.of("bin/run"));
        }, List.of(), Optional.empty(), null);
        Path d = db.layout().file(p);
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve("bin/run"))));
        assertTrue(Files.isSymbolicLink(d.resolve("link")));
        assertEquals("sha256:" + NarHasher.hashPath(d, "sha256").hex(), db.queryPathInfo(p).narHash());
    }

    @Test
    void aFailingWriteLeavesNothing() throws Exception {
        String p = text("broken", "x");
        IOException e = assertThrows(IOException.class, () -> writer.add(p, t -> {
            Files.writeString(t, "partial");
            throw new IOException("disk full (injected)");
        }, List.of(), Optional.empty(), null));
        assertEquals("disk full (injected)", e.getMessage());
        assertFalse(db.isValidPath(p));
        assertFalse(Files.exists(db.layout().file(p), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aFailingRegistrationRemovesTheRenamedContent() throws Exception {
        String missing = text("missing", "m");
        String p = text("needs-missing", "x", missing);
        StoreException e = assertThrows(StoreException.class, () -> writer.add(p, t -> Files.writeString(t, "x"),
                List.of(missing), Optional.empty(), null));
        assertEquals("path `%1%' is not valid", e.getMessage()); // 1.5.0 queryValidPathId
        assertFalse(db.isValidPath(p));
        assertFalse(Files.exists(db.layout().file(p), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aStaleLeftoverAtTheDestinationIsReplaced() throws Exception {
        String p = text("leftover", "new");
        Files.createDirectories(db.layout().file(p).resolve("junk"));
        writer.add(p, t -> Files.writeString(t, "new"), List.of(), Optional.empty(), null);
        assertEquals("new", Files.readString(db.layout().file(p)));
    }

    @Test
    void leftoverFilesSymlinksAndDirectoriesOfEitherKindAreReplaced() throws Exception {
        // rename(2) replaces some leftovers itself; the others must be deleted first
        String file = text("leftover-file", "f");
        Files.writeString(db.layout().file(file), "old");
        writer.add(file, t -> Files.createDirectories(t.resolve("d")), List.of(), Optional.empty(), null);
        assertTrue(Files.isDirectory(db.layout().file(file).resolve("d")));
        String dir = text("leftover-dir", "d");
        Files.createDirectories(db.layout().file(dir).resolve("junk"));
        writer.add(dir, t -> Files.createDirectories(t.resolve("new")), List.of(), Optional.empty(), null);
        assertEquals(List.of("new"), names(db.layout().file(dir)));
        String empty = text("leftover-empty-dir", "e");
        Files.createDirectories(db.layout().file(empty));
        writer.add(empty, Content.regularFile("e".getBytes()), List.of(), Optional.empty(), null);
        assertEquals("e", Files.readString(db.layout().file(empty)));
        String link = text("leftover-link", "l");
        Files.createSymbolicLink(db.layout().file(link), Path.of("nowhere"));
        writer.add(link, Content.regularFile("l".getBytes()), List.of(), Optional.empty(), null);
        assertEquals("l", Files.readString(db.layout().file(link)));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aRegularFileContentIsCanonicalAndRegisteredWithTheNarOfTheFileOnDisk() throws Exception {
        byte[] bytes = new byte[10_000];
        new java.util.Random(5).nextBytes(bytes);
        String p = text("bytes", "b");
        assertTrue(writer.add(p, Content.regularFile(bytes), List.of(), Optional.empty(), null).written());
        Path f = db.layout().file(p);
        assertEquals(java.util.Arrays.toString(bytes), java.util.Arrays.toString(Files.readAllBytes(f)));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(f));
        NarDigest nar = NarHasher.hashPath(f, "sha256");
        assertEquals("sha256:" + nar.hex(), db.queryPathInfo(p).narHash());
        assertEquals(nar.narSize(), db.queryPathInfo(p).narSize());
    }

    @Test
    void aRegularFileContentReplacesAnExecutableLeftoverAtItsTemporaryName() throws Exception {
        Path t = root.resolve("t");
        Files.writeString(t, "old, longer than the new content");
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        Content.regularFile("new".getBytes()).writeTo(t);
        assertEquals("new", Files.readString(t));
        assertFalse(Files.isExecutable(t), "the NAR it announces is that of a non-executable file");
    }

    @Test
    void concurrentWritersOfOnePathWriteOnceAndAllSeeItValid() throws Exception {
        String p = text("contended", "c");
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    boolean w = writer.add(p, t -> {
                        writes.incrementAndGet();
                        Files.writeString(t, "c");
                    }, List.of(), Optional.empty(), null).written();
                    assertTrue(db.isValidPath(p));
                    return w;
                }));
            }
            start.countDown();
            int written = 0;
            for (Future<Boolean> f : results) {
                written += f.get() ? 1 : 0;
            }
            assertEquals(1, written);
        }
        assertEquals(1, writes.get());
        assertEquals("c", Files.readString(db.layout().file(p)));
    }

    @Test
    void staleTemporariesOfDeadProcessesAreRemovedAtStart() throws Exception {
        Path store = db.layout().storeDirectory();
        Path dead = Files.createDirectories(store.resolve(StoreWriter.TEMP_PREFIX + Integer.MAX_VALUE + "-1/x"))
                .getParent();
        Path mine = Files.writeString(store.resolve(StoreWriter.TEMP_PREFIX + ProcessHandle.current().pid() + "-9"), "");
        assertEquals(1, StoreWriter.removeStaleTemporaries(db.layout()));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(mine));
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(db.layout().storeDirectory())) {
            return s.filter(x -> StoreWriter.isTemporary(x.getFileName().toString())).toList();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
