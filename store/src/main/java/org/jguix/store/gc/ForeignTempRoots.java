package org.jguix.store.gc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;

/**
 * The temp roots of <em>other</em> processes ({@code gc.cc:readTempRoots}): for each file in
 * {@code $state/temproots} but this process's own, open it; a whole-file write lock that succeeds
 * means its owner is dead, so print "removing stale temporary roots file `F'", unlink it and write
 * {@code d} into it; otherwise take a read lock (this blocks the owner's next {@code addTempRoot}),
 * read its NUL-terminated paths and keep the lock until {@link #close()}, after deletion.
 *
 * <p>This process's own roots are kept in memory ({@link org.jguix.store.TempRoots}), and its own
 * file must not be opened here: closing any descriptor of a file drops this process's fcntl locks
 * on it.
 */
final class ForeignTempRoots implements AutoCloseable {
    private final Set<String> roots = new HashSet<>();
    private final List<FileChannel> held = new ArrayList<>();

    private ForeignTempRoots() {
    }

    static ForeignTempRoots read(StoreLayout layout, Path ownFile, StoreLog log) throws IOException {
        ForeignTempRoots t = new ForeignTempRoots();
        Path dir = layout.stateDir().resolve("temproots");
        try {
            t.readAll(layout, dir, ownFile.toAbsolutePath().normalize(), log);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void readAll(StoreLayout layout, Path dir, Path ownFile, StoreLog log) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(files::add);
        } catch (NoSuchFileException e) {
            throw new StoreException("opening directory `" + dir + "': No such file or directory", e);
        }
        for (Path f : files) {
            if (f.toAbsolutePath().normalize().equals(ownFile)) {
                continue;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                continue; // its owner removed it meanwhile
            } catch (IOException e) {
                throw new StoreException("opening temporary roots file `" + f + "': " + e.getMessage(), e);
            }
            try {
                if (readOne(layout, f, ch, log)) {
                    held.add(ch);
                    ch = null;
                }
            } finally {
                if (ch != null) {
                    ch.close();
                }
            }
        }
    }

    /** True if {@code ch} holds live roots (and must stay open). */
    private boolean readOne(StoreLayout layout, Path f, FileChannel ch, StoreLog log) throws IOException {
        FileLock probe = ch.tryLock(0, Long.MAX_VALUE, false);
        if (probe != null) {
            log.error("removing stale temporary roots file `" + f + "'");
            Files.deleteIfExists(f);
            ch.write(ByteBuffer.wrap(new byte[] {'d'}));
            return false;
        }
        ch.lock(0, Long.MAX_VALUE, true);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, ch.size()));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read it all
        }
        String contents = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        int pos = 0;
        int end;
        while ((end = contents.indexOf('\0', pos)) >= 0) {
            String root = contents.substring(pos, end);
            layout.assertStorePath(root);
            roots.add(root);
            pos = end + 1;
        }
        return true;
    }

    Set<String> roots() {
        return roots;
    }

    /** Releases the read locks: their owners may add roots again. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : held) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        held.clear();
        if (first != null) {
            throw first;
        }
    }
}
