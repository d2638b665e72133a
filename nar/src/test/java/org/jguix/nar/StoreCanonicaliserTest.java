package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cases of nar-format.md §7.3 (RUN against guix-daemon 1.5.0). */
class StoreCanonicaliserTest {
    private Path tmp;
    private int uid;
    private int gid;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("canon");
        uid = (Integer) Files.getAttribute(tmp, "unix:uid");
        gid = (Integer) Files.getAttribute(tmp, "unix:gid");
    }

    @AfterEach
    void tearDown() throws IOException {
        TreeDeleter.delete(tmp);
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static long mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS);
    }

    @Test
    void canonicalisesModesTimesAndNeverFollowsSymlinks() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path f = Files.writeString(out.resolve("f"), "x");
        Files.setAttribute(f, "unix:mode", 04777);
        Files.createLink(out.resolve("hard"), f);
        Path exe = Files.writeString(out.resolve("exe"), "#!");
        Files.setAttribute(exe, "unix:mode", 0700);
        Files.setLastModifiedTime(exe, FileTime.from(978307200, TimeUnit.SECONDS));
        Path text = Files.writeString(out.resolve("text"), "t");
        Path sub = Files.createDirectories(out.resolve("sub/deep"));
        Files.setAttribute(out.resolve("sub"), "unix:mode", 02700);
        Path outside = Files.writeString(tmp.resolve("outside"), "o");
        Files.setAttribute(outside, "unix:mode", 0600);
        FileTime outsideTime = Files.getLastModifiedTime(outside);
        Path link = Files.createSymbolicLink(out.resolve("link"), outside);
        FileTime atime = (FileTime) Files.getAttribute(exe, "lastAccessTime");

        new StoreCanonicaliser(uid, gid).canonicalise(out);

        assertEquals(0555, mode(out));
        assertEquals(0555, mode(f)); // setuid and write bits gone, u+x kept
        assertEquals(0555, mode(out.resolve("hard")));
        assertEquals(0555, mode(exe));
        assertEquals(0444, mode(text));
        assertEquals(0555, mode(out.resolve("sub")));
        assertEquals(0555, mode(sub));
        for (Path p : List.of(out, f, exe, text, sub, link)) {
            assertEquals(1, mtime(p), p.toString());
        }
        assertEquals(atime.to(TimeUnit.SECONDS), ((FileTime) Files.getAttribute(exe, "lastAccessTime")).to(TimeUnit.SECONDS));
        // The symlink's target, outside the tree, is untouched.
        assertEquals(0600, mode(outside));
        assertEquals(outsideTime, Files.getLastModifiedTime(outside));
    }

    @Test
    void setsOwnerWithoutFollowingSymlinks() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path outside = Files.writeString(tmp.resolve("outside"), "o");
        Files.createSymbolicLink(out.resolve("link"), outside);
        Files.writeString(out.resolve("f"), "x");
        boolean root = uid == 0;
        int owner = root ? 4242 : uid;
        new StoreCanonicaliser(owner, root ? 4343 : gid).canonicalise(out);
        assertEquals(owner, Files.getAttribute(out.resolve("f"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(owner, Files.getAttribute(out.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(uid, Files.getAttribute(outside, "unix:uid"));
        if (root) {
            assertEquals(4343, Files.getAttribute(out.resolve("link"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void refusesFilesNotOwnedByTheBuildUserUnlessAlreadySeen() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("f"), "x");
        UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
                () -> new StoreCanonicaliser(uid, gid).canonicalise(out, uid + 1, new HashSet<>()));
        assertEquals("invalid ownership on file `" + out + "'", e.reason());

        Set<List<Object>> seen = new HashSet<>();
        new StoreCanonicaliser(uid, gid).canonicalise(out, uid, seen);
        // A hard link to an inode canonicalised earlier in the same build is allowed whatever its owner.
        new StoreCanonicaliser(uid, gid).canonicalise(out, uid + 1, seen);
    }

    @Test
    void refusesFifos() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Process p = new ProcessBuilder("mkfifo", out.resolve("fifo").toString()).start();
        assertEquals(0, p.waitFor());
        UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
                () -> new StoreCanonicaliser(uid, gid).canonicalise(out));
        assertEquals("file `" + out.resolve("fifo") + "' has an unsupported type", e.reason());
        assertThrows(UnsupportedFileException.class, () -> NarHasher.hashPath(out, "sha256"));
    }

    @Test
    void aRootThatIsAFileIsCanonicalisedAndAFifoOrNothingRefused() throws Exception {
        // such roots skip the walk; they must get what a file inside a tree gets
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Files.setAttribute(f, "unix:mode", 04744);
        Path text = Files.writeString(tmp.resolve("text"), "t");
        Files.setAttribute(text, "unix:mode", 0600);
        new StoreCanonicaliser(uid, gid).canonicalise(f);
        new StoreCanonicaliser(uid, gid).canonicalise(text);
        assertEquals(0555, mode(f));
        assertEquals(0444, mode(text));
        assertEquals(1, mtime(f));
        assertEquals(1, mtime(text));
        assertThrows(UnsupportedFileException.class,
                () -> new StoreCanonicaliser(uid, gid).canonicalise(text, uid + 1, new HashSet<>()));
        Process p = new ProcessBuilder("mkfifo", tmp.resolve("fifo").toString()).start();
        assertEquals(0, p.waitFor());
        UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
                () -> new StoreCanonicaliser(uid, gid).canonicalise(tmp.resolve("fifo")));
        assertEquals("file `" + tmp.resolve("fifo") + "' has an unsupported type", e.reason());
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> new StoreCanonicaliser(uid, gid).canonicalise(tmp.resolve("missing")));
    }

    @Test
    void symlinkTimesAreSetOnTheLinkItself() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("l"), Path.of("nowhere"));
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(5000, TimeUnit.SECONDS), null, null);
        new StoreCanonicaliser(uid, gid).canonicalise(link);
        assertEquals(1, mtime(link));
    }
}
