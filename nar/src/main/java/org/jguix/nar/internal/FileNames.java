package org.jguix.nar.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.jguix.nar.UnsupportedFileException;

/**
 * Maps between raw file-name bytes (what a NAR carries) and {@link Path}s. java.nio has no public way to
 * see a name's bytes: it decodes them with {@code sun.jnu.encoding} (UTF-8 under a UTF-8 locale, as
 * jguix runs). Valid UTF-8 round-trips exactly; an undecodable name is decoded lossily (to U+FFFD), and
 * hashing it would silently give a wrong hash, so such names are refused with
 * {@link UnsupportedFileException} instead. (A native helper returning {@code byte[]} names would lift
 * this; see nar-format.md §2.2.)
 */
public final class FileNames {
    private static final Charset JNU = jnuCharset();

    private FileNames() {
    }

    /** Raw bytes of the last component of {@code path}, an existing directory entry. */
    public static byte[] nameBytes(Path path, BasicFileAttributes attrs) throws IOException {
        String s = Objects.requireNonNull(path.getFileName(), "path has no file name").toString();
        if (s.indexOf('\uFFFD') >= 0 && !sameFile(path, s, attrs)) {
            throw new UnsupportedFileException(NarErrors.unrepresentableName("file name", s, JNU.name()));
        }
        return s.getBytes(JNU);
    }

    /** Raw bytes of a symlink target read with {@link Files#readSymbolicLink}. */
    public static byte[] targetBytes(Path link) throws IOException {
        String s = Files.readSymbolicLink(link).toString();
        if (s.indexOf('\uFFFD') >= 0) {
            // Cannot tell a decoding replacement from a real U+FFFD in the target: refuse rather than guess.
            throw new UnsupportedFileException(NarErrors.unrepresentableName("symlink target", s, JNU.name()));
        }
        return s.getBytes(JNU);
    }

    /** The string java.nio maps to exactly these name bytes. */
    public static String name(byte[] raw) throws UnsupportedFileException {
        return decode(raw, "file name");
    }

    /** A {@link Path} whose bytes are exactly {@code raw}, for use as a symlink target. */
    public static Path target(byte[] raw) throws UnsupportedFileException {
        String s = decode(raw, "symlink target");
        try {
            Path p = Path.of(s);
            // Path.of drops repeated and trailing slashes; such a target would not round-trip.
            if (p.toString().equals(s)) {
                return p;
            }
        } catch (InvalidPathException e) {
            // fall through to the refusal below
        }
        throw new UnsupportedFileException(NarErrors.unrepresentableName("symlink target", s, JNU.name()));
    }

    private static String decode(byte[] raw, String what) throws UnsupportedFileException {
        try {
            String s = JNU.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            if (java.util.Arrays.equals(s.getBytes(JNU), raw)) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // fall through to the refusal below
        }
        throw new UnsupportedFileException(NarErrors.unrepresentableName(what, ByteText.quote(raw), JNU.name()));
    }

    private static boolean sameFile(Path path, String decoded, BasicFileAttributes attrs) {
        try {
            Path again = path.resolveSibling(decoded);
            Object key = Files.readAttributes(again, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return key != null && key.equals(attrs.fileKey());
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
