package org.jguix.store.transfer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What ExportPath and ImportPaths need from {@code guix authenticate}: the two commands of its
 * protocol. {@link AuthenticateAgent} is the real thing (the helper process); tests substitute fakes.
 * Signatures are bytes, not text: they travel as ISO-8859-1 between daemon and agent and as raw
 * strings in export streams, and must be passed on unchanged.
 */
public interface Authenticator {

    /**
     * {@code sign}: signs the SHA-256 {@code hexHash} (lower-case base16) with the key pair whose
     * secret half is {@code secretKey} (the public half is the same name ending in {@code .pub}).
     * Returns the signature, a canonical S-expression in advanced (text) form.
     *
     * @throws AuthenticationException if the agent refuses (e.g. the key pair cannot be loaded)
     */
    byte[] sign(Path secretKey, String hexHash) throws IOException;

    /**
     * {@code verify}: checks {@code signature} and that its public key is authorised (the agent's
     * ACL); returns the lower-case base16 hash it signs.
     *
     * @throws AuthenticationException with the agent's text ("unauthorized public key: …",
     *         "invalid signature: …", "corrupt signature data: …")
     */
    String verify(byte[] signature) throws IOException;
}
