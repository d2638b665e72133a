package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;

/**
 * {@code LocalStore::pathContentsGood} for repair builds: a valid path is good if it exists and
 * its NAR hash is the registered one (an all-zero SHA-256 counts as good). Each path is hashed
 * once ("checking path `P'..." at Info, "path `P' is corrupted or missing!" at Error); a path
 * rebuilt by a repair is marked good ({@code markContentsGood}). guix-daemon keeps this cache
 * per client process; jguix per build request, which is the same for one {@code guix build
 * --repair} or one repair of {@code guix gc --verify=contents,repair}.
 */
final class ContentsCheck {
    private static final byte[] NULL_SHA256 = new byte[32];
    private final StoreDatabase db;
    private final ConcurrentHashMap<String, Boolean> cache = new ConcurrentHashMap<>();

    ContentsCheck(StoreDatabase db) {
        this.db = db;
    }

    boolean good(String path, BuildEvents events) throws IOException {
        Boolean known = cache.get(path);
        if (known != null) {
            return known;
        }
        events.message(BuildEvents.INFO, "checking path `" + path + "'...");
        ValidPathInfo info = db.queryPathInfo(path);
        Path file = db.layout().file(path);
        boolean good;
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            good = false;
        } else {
            byte[] current = NarHasher.hashPath(file, info.hashAlgorithm()).digest();
            good = (info.hashAlgorithm().equals("sha256") && Arrays.equals(info.narDigest(), NULL_SHA256))
                    || Arrays.equals(info.narDigest(), current);
        }
        cache.put(path, good);
        if (!good) {
            events.message(BuildEvents.ERROR, "path `" + path + "' is corrupted or missing!");
        }
        return good;
    }

    void markGood(String path) {
        cache.put(path, true);
    }
}
