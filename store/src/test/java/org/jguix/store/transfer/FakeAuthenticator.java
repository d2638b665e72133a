package org.jguix.store.transfer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory stand-in for {@code guix authenticate}, no cryptography: {@code verify} reads the hash
 * and the public key's {@code q} out of a signature's text (real guix signatures and its own
 * synthetic ones alike) and accepts the key if authorised; {@code sign} returns a signature recorded
 * for that hash (from a fixture made by the real agent) or a synthetic one. Errors use the agent's
 * wording. Real signing and verification are exercised by the *IT against the real agent.
 */
final class FakeAuthenticator implements Authenticator {
    private static final Pattern HASH = Pattern.compile("\\(hash sha256 #([0-9A-Fa-f]{64})#\\)");
    private static final Pattern Q = Pattern.compile("\\(q #([0-9A-Za-z-]+)#\\)");

    final Set<String> authorised = new HashSet<>();
    final Map<String, byte[]> recorded = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    String signingKeyQ = "FAKEKEY";

    FakeAuthenticator authorise(String q) {
        authorised.add(q);
        return this;
    }

    static byte[] synthetic(String hexHash, String q) {
        return ("(signature \n (data \n  (flags rfc6979)\n  (hash sha256 #" + hexHash.toUpperCase(Locale.ROOT)
                + "#)\n  )\n (public-key \n  (ecc \n   (curve Ed25519)\n   (q #" + q + "#)\n   )\n  )\n )\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public byte[] sign(Path secretKey, String hexHash) {
        requests.add("sign " + secretKey + " " + hexHash);
        byte[] r = recorded.get(hexHash);
        return r != null ? r : synthetic(hexHash, signingKeyQ);
    }

    @Override
    public String verify(byte[] signature) throws AuthenticationException {
        String s = new String(signature, StandardCharsets.ISO_8859_1);
        requests.add("verify");
        Matcher h = HASH.matcher(s);
        Matcher q = Q.matcher(s);
        if (!h.find() || !q.find()) {
            throw new AuthenticationException("corrupt signature data: " + s, 500, -1);
        }
        if (!authorised.contains(q.group(1))) {
            throw new AuthenticationException("unauthorized public key: (public-key (q #" + q.group(1) + "#))", 500, -1);
        }
        return h.group(1).toLowerCase(Locale.ROOT);
    }
}
