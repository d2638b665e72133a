package org.jguix.nar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jguix.nar.internal.AlignedReader;
import org.jguix.nar.internal.ChannelSink;
import org.jguix.nar.internal.DigestingOutputStream;
import org.jguix.nar.internal.ReadAhead;

/**
 * Hashes NAR serialisations while they stream (guix {@code hash.cc:hashPath}): the dumper's events go
 * through a {@link NarWriter} straight into a {@link MessageDigest}; no NAR is ever buffered. Also the
 * flat hash of a file's bytes ({@code hash.cc:hashFile}).
 *
 * <p>A directory or a file of {@value #READ_AHEAD_MIN} bytes or more is read on a helper thread
 * ({@link ReadAhead}) while this thread hashes, so the cost is that of the digest alone; smaller inputs
 * are read and hashed in turn on the calling thread. Algorithms are named as guix names them
 * ({@code parseHashType}); blake2s-256 has no JDK provider: pass its {@link MessageDigest} to
 * {@link #updatePath} or {@link #updateFile}.
 */
public final class NarHasher {
    /** guix names of the supported algorithms. */
    public static final List<String> ALGORITHMS = List.of("md5", "sha1", "sha256", "sha512", "sha3-256", "sha3-512");

    /** Below this, starting a thread costs more than overlapping read and hash gains. */
    static final long READ_AHEAD_MIN = 1 << 20;
    private static final int FILE_CHUNK = 256 * 1024;

    private NarHasher() {
    }

    /** Digest and size of the NAR of {@code path}. */
    public static NarDigest hashPath(Path path, String algorithm) throws IOException {
        return hashPath(path, algorithm, null);
    }

    /**
     * Digest and size of the NAR of {@code path}, also copying the NAR bytes to {@code alsoTo} (e.g. a
     * {@link ReferenceScanner}) in the same pass; {@code alsoTo} may be null.
     */
    public static NarDigest hashPath(Path path, String algorithm, OutputStream alsoTo) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(messageDigest(algorithm), alsoTo);
        dump(path, new NarWriter(out));
        return new NarDigest(algorithm, out.digest().digest(), out.count());
    }

    /**
     * Digest and size of the NAR of one regular file holding {@code contents}: what {@link #hashPath}
     * gives for such a file, without reading it back (AddTextToStore has the bytes it just wrote).
     */
    public static NarDigest hashRegularFile(byte[] contents, boolean executable, String algorithm) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(messageDigest(algorithm), null);
        NarWriter writer = new NarWriter(out);
        writer.accept(new NarEvent.RegularStart(executable, contents.length));
        writer.contents(contents, 0, contents.length);
        writer.accept(NarEvent.REGULAR_END);
        return new NarDigest(algorithm, out.digest().digest(), out.count());
    }

    /** Feeds the NAR of {@code path} into {@code digest} (not finished); returns the NAR's size. */
    public static long updatePath(Path path, MessageDigest digest) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(digest, null);
        dump(path, new NarWriter(out));
        return out.count();
    }

    /**
     * Feeds the bytes of the file {@code file} (following symlinks) into {@code digest} (not finished);
     * returns their count. Reads to the end of file, as guix's {@code hashFile}.
     */
    public static long updateFile(Path file, MessageDigest digest) throws IOException {
        long[] count = {0};
        NarSink sink = new NarSink() {
            @Override
            public void accept(NarEvent event) {
                throw new IllegalStateException("a flat file has no NAR events");
            }

            @Override
            public void contents(byte[] buf, int off, int len) {
                digest.update(buf, off, len);
                count[0] += len;
            }
        };
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() < READ_AHEAD_MIN) {
                readAll(ch, sink);
            } else {
                ReadAhead.run(s -> readAll(ch, s), sink);
            }
        }
        return count[0];
    }

    private static void readAll(FileChannel ch, NarSink sink) throws IOException {
        AlignedReader reader = new AlignedReader(FILE_CHUNK);
        if (sink instanceof ChannelSink cs) {
            while (cs.contentsFrom(ch, reader, FILE_CHUNK) >= 0) {
                // the sink took them
            }
            return;
        }
        byte[] buf = new byte[FILE_CHUNK];
        for (int n; (n = reader.read(ch, buf, 0, buf.length)) >= 0; ) {
            sink.contents(buf, 0, n);
        }
    }

    private static void dump(Path path, NarSink sink) throws IOException {
        if (worthReadingAhead(path)) {
            ReadAhead.run(s -> new NarDumper().dump(path, s), sink);
        } else {
            new NarDumper().dump(path, sink);
        }
    }

    private static boolean worthReadingAhead(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() || a.isRegularFile() && a.size() >= READ_AHEAD_MIN;
        } catch (IOException e) {
            return false; // the dumper reports it
        }
    }

    /**
     * Parses the NAR on {@code in} (strictly, see {@link NarReader}) and returns the digest of its bytes
     * as read; since only canonical NARs are accepted, this equals the hash of the restored tree.
     */
    public static NarDigest hashNar(InputStream in, String algorithm) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(messageDigest(algorithm), null);
        NarWriter writer = new NarWriter(out);
        new NarReader(in).transferTo(writer);
        return new NarDigest(algorithm, out.digest().digest(), out.count());
    }

    /** A fresh {@link MessageDigest} for a guix algorithm name. */
    public static MessageDigest messageDigest(String algorithm) {
        String jdk = switch (algorithm) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            case "sha3-256" -> "SHA3-256";
            case "sha3-512" -> "SHA3-512";
            default -> throw new IllegalArgumentException("unsupported hash algorithm `" + algorithm
                    + "' (supported: " + String.join(", ", ALGORITHMS) + ")");
        };
        try {
            return MessageDigest.getInstance(jdk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jdk, e);
        }
    }
}
