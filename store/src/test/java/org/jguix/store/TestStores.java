package org.jguix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.hash.NixBase32;

/** Test support: temporary stores, text store paths, a minimal .drv output reader. */
final class TestStores {
    static final long NOW = 1_700_000_000L;
    private static final Pattern OUTPUT = Pattern.compile("\\(\"([^\"]*)\",\"([^\"]*)\",\"[^\"]*\",\"[^\"]*\"\\)");

    private TestStores() {
    }

    /**
     * Reads only the output list at the start of a {@code Derive(...)} ATerm — enough for the
     * {@code DerivationOutputs} table in tests (the real parser is the derivation module's).
     */
    static final DerivationOutputsReader DRV_OUTPUTS = drv -> {
        String s = Files.readString(drv, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("Derive([")) {
            throw new StoreException("not a derivation: " + drv);
        }
        String outputs = s.substring(8, s.indexOf(")],") + 1);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = OUTPUT.matcher(outputs);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    };

    static StoreDatabase.Options options() {
        return StoreDatabase.Options.defaults(DRV_OUTPUTS)
                .withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
                .withIgnoreSymlinkStore(true);
    }

    static StoreDatabase open(Path root) throws IOException {
        return StoreDatabase.open(StoreLayout.under(root), options());
    }

    /** {@code computeStorePathForText}: {@code makeStorePath("text" + refs, sha256(content), name)}. */
    static String textPath(String storeDir, String name, String content, Collection<String> refs) {
        StringBuilder type = new StringBuilder("text");
        for (String r : new TreeSet<>(refs)) {
            type.append(':').append(r);
        }
        String fingerprint = type + ":sha256:" + HexFormat.of().formatHex(sha256(content.getBytes(
                StandardCharsets.UTF_8))) + ":" + storeDir + ":" + name;
        byte[] h = sha256(fingerprint.getBytes(StandardCharsets.UTF_8));
        byte[] c = new byte[20];
        for (int i = 0; i < h.length; i++) {
            c[i % 20] ^= h[i];
        }
        return storeDir + "/" + NixBase32.encode(c) + "-" + name;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fake but well-formed store path (for database-only tests). */
    static String path(String name) {
        return textPath("/gnu/store", name, name, java.util.List.of());
    }

    static ValidPathInfo info(String path, String... refs) {
        return ValidPathInfo.of(path, sha256(path.getBytes(StandardCharsets.UTF_8)), 120, java.util.List.of(refs));
    }

    static StoreCanonicaliser canonicaliser(Path anyOwnedFile) throws IOException {
        return new StoreCanonicaliser((Integer) Files.getAttribute(anyOwnedFile, "unix:uid"),
                (Integer) Files.getAttribute(anyOwnedFile, "unix:gid"));
    }
}
