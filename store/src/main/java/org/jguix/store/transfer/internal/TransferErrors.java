package org.jguix.store.transfer.internal;

import org.jguix.store.StoreException;

/**
 * Every client-visible text of ExportPath and ImportPaths, worded as guix-daemon 1.5.0 words it
 * ({@code nix/libstore/local-store.cc}; the function is named on each). Tests assert them verbatim.
 * Texts the agent produces ("unauthorized public key: …") are not here: they are passed through.
 */
public final class TransferErrors {
    private TransferErrors() {
    }

    /** {@code LocalStore::importPaths}: an item marker other than 0 or 1. */
    public static final String NOT_AN_EXPORT = "input doesn't look like something created by `nix-store --export'";

    /** {@code LocalStore::importPath}: the int after the NAR is not {@code EXPORT_MAGIC}. */
    public static final String WRONG_FORMAT = "normalized archive cannot be imported; wrong format";

    /** {@code TunnelSource} / {@code readFull}: the input ended ({@code EndOfFile}). */
    public static final String UNEXPECTED_EOF = "unexpected end-of-file";

    /** {@code LocalStore::importPath}: the agent verified a signature over another hash. */
    public static final String HASH_MISMATCH = "signed hash doesn't match actual contents of imported "
            + "archive; archive could be corrupt, or someone is trying to import a Trojan horse";

    /** {@code LocalStore::importPath}, with {@code requireSignature} (always, for ImportPaths). */
    public static String lacksSignature(String path) {
        return "imported archive of `" + path + "' lacks a signature";
    }

    /** {@code LocalStore::exportPath}: {@code std::format}, so the path is printed even in 1.5.0. */
    public static StoreException notValid(String path) {
        return new StoreException("path `" + path + "' is not valid");
    }

    /** {@code LocalStore::exportPath}: the NAR just sent is not the one registered. Base16 hashes. */
    public static StoreException hashChanged(String path, String storedHex, String actualHex) {
        return new StoreException("hash of path `" + path + "' has changed from `" + storedHex + "' to `"
                + actualHex + "'!");
    }

    /** {@code checkSecrecy}: the secret key has group or other permission bits. */
    public static StoreException notSecret(String keyFile) {
        return new StoreException("file `" + keyFile + "' should be secret (inaccessible to everybody else)!");
    }

    /** {@code checkSecrecy}: {@code stat} failed (a SysError: text, ": ", strerror). */
    public static StoreException cannotStat(String keyFile, String strerror) {
        return new StoreException("getting status of `" + keyFile + "': " + strerror);
    }

    /** {@code archive.cc:dump}: {@code lstat} of a file of the path failed. */
    public static StoreException cannotDump(String file, String strerror) {
        return new StoreException("getting attributes of path `" + file + "': " + strerror);
    }

    /** {@code readInteger} in {@code readAuthenticateReply}: the agent closed its output. */
    public static final String AGENT_EOF = "unexpected EOF reading an integer";

    /**
     * {@code readAuthenticateReply} when the reply does not start with digits. guix-daemon fails
     * there with a bare {@code std::stoi} exception ("stoi"); jguix says what happened instead.
     */
    public static String agentGarbage(String got) {
        return "invalid reply from `guix authenticate': " + got;
    }

    /** {@code Agent::Agent} in the child: {@code execv} failed (SysError). */
    public static String cannotExecute(String program, String strerror) {
        return "executing `" + program + "': " + strerror;
    }
}
