package org.jguix.build.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.hash.NixBase32;
import org.jguix.nar.NarDumper;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreLayout;

/**
 * Builds without a chroot that must not touch valid outputs ({@code --check}, a repair of a
 * corrupt one) write them to <em>redirected</em> paths ({@code DerivationGoal::addHashRewrite}):
 * the same name with the hash part replaced by the first 32 characters of
 * nixbase32(sha256({@code "rewrite:" + drvPath + ":" + path})). After the build each output's
 * serialisation gets the temporary hash parts replaced by the real ones ("warning: rewriting
 * hashes in `P'; cross fingers"). jguix redirects only builtin builders, which get the output
 * path as an argument; other builders would need their environment and arguments rewritten
 * too (refused as not supported yet).
 *
 * @param redirected output path → redirected path
 * @param bad        the corrupt outputs of a repair, replaced by their redirected rebuild
 */
record HashRewrites(Map<String, String> redirected, Set<String> bad) {
    static final HashRewrites NONE = new HashRewrites(Map.of(), Set.of());

    HashRewrites {
        redirected = Collections.unmodifiableMap(new TreeMap<>(redirected));
        bad = Collections.unmodifiableSet(new TreeSet<>(bad));
    }

    boolean isEmpty() {
        return redirected.isEmpty();
    }

    /** {@code addHashRewrite} for each of {@code rewritten}; {@code bad} ⊆ {@code rewritten}. */
    static HashRewrites of(StoreLayout layout, String drvPath, Set<String> rewritten, Set<String> bad) {
        Map<String, String> r = new TreeMap<>();
        int prefix = layout.storeDirString().length() + 1;
        for (String path : rewritten) {
            String h2 = NixBase32.encode(sha256("rewrite:" + drvPath + ":" + path)).substring(0, 32);
            r.put(path, layout.storeDirString() + "/" + h2 + path.substring(prefix + 32));
        }
        return new HashRewrites(r, bad);
    }

    /** The temporary hash part of each redirected output → its real one ({@code rewritesFromTmp}). */
    private Map<String, String> fromTmp(StoreLayout layout) {
        int prefix = layout.storeDirString().length() + 1;
        Map<String, String> m = new TreeMap<>();
        redirected.forEach((path, tmp) -> m.put(tmp.substring(prefix, prefix + 32), path.substring(prefix, prefix + 32)));
        return m;
    }

    /**
     * {@code rewriteHashes} over the NAR of {@code actual}: dumped, deleted, every temporary
     * hash part replaced by the real one, restored. In memory, like guix-daemon's (the outputs of
     * builtin builders are single downloads).
     */
    void rewrite(StoreLayout layout, Path actual) throws IOException {
        ByteArrayOutputStream nar = new ByteArrayOutputStream();
        NarDumper.dump(actual, nar);
        TreeDeleter.delete(actual);
        byte[] bytes = nar.toByteArray();
        for (var e : fromTmp(layout).entrySet()) {
            replaceAll(bytes, e.getKey().getBytes(StandardCharsets.US_ASCII), e.getValue().getBytes(StandardCharsets.US_ASCII));
        }
        NarRestorer.restore(new java.io.ByteArrayInputStream(bytes), actual);
    }

    /** Deletes what a previous build left at the redirected paths ({@code if (pathExists(p)) deletePath(p)}). */
    void clear(StoreLayout layout) throws IOException {
        for (String p : redirected.values()) {
            if (Files.exists(layout.file(p), LinkOption.NOFOLLOW_LINKS)) {
                TreeDeleter.delete(layout.file(p));
            }
        }
    }

    /** Same-length replacement, left to right, without overlaps. */
    private static void replaceAll(byte[] s, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= s.length; ) {
            if (java.util.Arrays.equals(s, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, s, i, to.length);
                i += from.length;
            } else {
                i++;
            }
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
