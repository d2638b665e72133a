package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.store.transfer.AuthenticationException;
import org.jguix.store.transfer.Authenticator;

/**
 * Test support: {@code guix authenticate} without Guile. Signatures are the agent's canonical
 * S-expressions, whose {@code (hash sha256 #HEX#)} says what they sign; {@link #verify} returns that
 * hash, so the daemon's own comparison with the archive's hash is what gets tested. {@link #sign}
 * returns a recorded signature of the real agent when one signs the requested hash (so a replayed
 * transcript gets the real bytes), else a synthetic one in the same form. A signature containing
 * {@link #UNAUTHORISED} is refused as the agent refuses a key missing from the ACL. Thread-safe.
 */
final class FakeAuthenticator implements Authenticator {
    /** Marks a signature whose key is not in the (imaginary) ACL. */
    static final String UNAUTHORISED = "(unauthorised-key)";

    private static final Pattern HASH = Pattern.compile("\\(hash sha256 #([0-9A-Fa-f]{64})#\\)");

    private final Map<String, byte[]> recorded = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /** Makes {@code signature} (a real agent's) the answer for the hash it signs. */
    void record(byte[] signature) {
        recorded.put(signedHash(signature), signature);
    }

    /** A signature of {@code hexHash} in the agent's form (not a valid one, which nothing here checks). */
    static byte[] synthetic(String hexHash, String extra) {
        return ("(signature \n (data \n  (flags rfc6979)\n  (hash sha256 #" + hexHash.toUpperCase(Locale.ROOT)
                + "#)\n  )\n " + extra + ")\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public byte[] sign(Path secretKey, String hexHash) {
        requests.add("sign " + secretKey + " " + hexHash);
        byte[] real = recorded.get(hexHash);
        return real != null ? real : synthetic(hexHash, "(sig-val fake)");
    }

    @Override
    public String verify(byte[] signature) throws IOException {
        requests.add("verify");
        String text = new String(signature, StandardCharsets.ISO_8859_1);
        if (text.contains(UNAUTHORISED)) {
            throw new AuthenticationException("unauthorized public key: " + UNAUTHORISED, 500, -1);
        }
        return signedHash(signature);
    }

    /** The lower-case hex hash a signature signs. */
    static String signedHash(byte[] signature) {
        Matcher m = HASH.matcher(new String(signature, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            throw new IllegalArgumentException("no (hash sha256 #…#) in the signature");
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }
}
