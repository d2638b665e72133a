package org.jguix.store.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jguix.nar.NarDumper;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.transfer.internal.DaemonWrites;
import org.jguix.store.transfer.internal.HashingOutputStream;
import org.jguix.store.transfer.internal.TransferErrors;

/**
 * ExportPath ({@code LocalStore::exportPath}): writes one store item as an export stream item — its
 * NAR, {@code EXPORT_MAGIC}, path, sorted references, deriver, then the signature flag and, if
 * signing, the signature (layout in {@link org.jguix.store.transfer package doc}). Stateless apart
 * from its collaborators; thread-safe if the {@link Authenticator} is.
 *
 * <p>Matches the daemon's order of effects, which a client can observe: the "exporting path" message
 * comes before the validity check; the NAR is streamed in full before its hash is compared with the
 * database (so on a mismatch the client has received the whole NAR, then the error); the signature
 * flag {@code 1} is written before the key's permissions are checked and the agent asked. The write
 * calls are the daemon's ({@link DaemonWrites}, 64 KiB file chunks), so over a
 * {@link org.jguix.wire.TunnelOutputStream} the STDERR_WRITE frames are byte-identical.
 *
 * <p>{@code out} is neither flushed nor closed: on success and on error alike the session flushes
 * it (the daemon flushes buffered data before its ERROR frame) and then sends LAST or ERROR.
 */
public final class PathExporter {
    /** {@code dumpContents}' buffer: file contents go out in chunks of this size. */
    static final int FILE_CHUNK = 65536;
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final StoreDatabase db;
    private final Path configDir;
    private final Authenticator authenticator;
    private final Consumer<String> messages;

    /**
     * @param configDir     {@code GUIX_CONFIGURATION_DIRECTORY} (default {@code /etc/guix}): the secret
     *                      key is {@code configDir/signing-key.sec}, named to the agent as that string
     * @param authenticator asked only when signing (so a lazily started agent never starts for
     *                      unsigned exports)
     * @param messages      receives {@code exporting path `P'}, an Info-level (1) message; may be null
     */
    public PathExporter(StoreDatabase db, Path configDir, Authenticator authenticator, Consumer<String> messages) {
        this.db = Objects.requireNonNull(db);
        this.configDir = Objects.requireNonNull(configDir);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.messages = messages == null ? m -> { } : messages;
    }

    /** The secret key file used for signing. */
    public Path secretKeyFile() {
        return configDir.resolve("signing-key.sec");
    }

    /**
     * Writes the export of {@code path} to {@code out}.
     *
     * @throws org.jguix.store.StoreException {@code path `P' is not in the store}, {@code path `P' is not
     *         valid}, {@code hash of path `P' has changed from `X' to `Y'!}, {@code file `K' should be
     *         secret (inaccessible to everybody else)!}, {@code getting status of `K': …}
     * @throws AuthenticationException the agent's error when signing
     */
    public void export(String path, boolean sign, OutputStream out) throws IOException {
        StoreLayout layout = db.layout();
        layout.assertStorePath(path);
        messages.accept("exporting path `" + path + "'");
        Optional<ValidPathInfo> found = db.queryPathInfoIfValid(path);
        if (found.isEmpty()) {
            throw TransferErrors.notValid(path);
        }
        ValidPathInfo info = found.get();

        HashingOutputStream hashed = new HashingOutputStream(out);
        DaemonWrites w = new DaemonWrites(hashed);
        try {
            new NarDumper(FILE_CHUNK).dump(layout.file(path), w);
        } catch (NoSuchFileException e) {
            throw TransferErrors.cannotDump(e.getFile(), "No such file or directory");
        }
        // Refuse to export what changed on disk since registration; the daemon checks only now, after
        // the whole NAR went out, and skips the check for an all-zero (unknown) stored hash.
        byte[] actual = hashed.currentHash();
        byte[] stored = info.narDigest();
        boolean unknown = isAllZero(stored);
        if (!unknown && !(info.hashAlgorithm().equals("sha256") && Arrays.equals(actual, stored))) {
            throw TransferErrors.hashChanged(path, HexFormat.of().formatHex(stored), HexFormat.of().formatHex(actual));
        }

        w.writeInt(ExportFormat.EXPORT_MAGIC);
        w.writeString(path);
        w.writeStrings(info.references()); // a sorted set, as the daemon's PathSet
        w.writeString(info.deriver().orElse(""));
        if (sign) {
            byte[] hash = hashed.currentHash();
            w.writeInt(1);
            Path key = secretKeyFile();
            checkSecrecy(key);
            w.writeString(authenticator.sign(key, HexFormat.of().formatHex(hash)));
        } else {
            w.writeInt(0);
        }
    }

    /**
     * The client side of {@code export-paths}: {@code u64 1} before each item's export, {@code u64 0}
     * at the end — the file {@code guix archive --export} writes and ImportPaths reads. The paths are
     * exported in the given order (the client sorts them topologically first).
     */
    public void exportPaths(Collection<String> paths, boolean sign, OutputStream out) throws IOException {
        DaemonWrites w = new DaemonWrites(out);
        for (String p : paths) {
            w.writeLongLong(ExportFormat.ITEM);
            export(p, sign, out);
        }
        w.writeLongLong(ExportFormat.END);
    }

    /** {@code checkSecrecy}: {@code stat} (following symlinks), refuse any group/other permission. */
    private static void checkSecrecy(Path key) throws IOException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(key, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw TransferErrors.cannotStat(key.toString(), "No such file or directory");
        } catch (AccessDeniedException e) {
            throw TransferErrors.cannotStat(key.toString(), "Permission denied");
        }
        if (!java.util.Collections.disjoint(attrs.permissions(), GROUP_OR_OTHER)) {
            throw TransferErrors.notSecret(key.toString());
        }
    }

    private static boolean isAllZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
