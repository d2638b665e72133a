package org.jguix.store.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jguix.nar.NarException;
import org.jguix.nar.NarLimits;
import org.jguix.nar.NarReader;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.NarTruncatedException;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreWriter;
import org.jguix.store.TempRoots;
import org.jguix.store.transfer.internal.HashingInputStream;
import org.jguix.store.transfer.internal.TransferErrors;
import org.jguix.wire.WireEofException;
import org.jguix.wire.WireException;
import org.jguix.wire.WireReader;
import org.jguix.nar.TreeDeleter;

/**
 * ImportPaths ({@code LocalStore::importPaths} / {@code importPath}): reads an export stream
 * ({@code u64 1}, item, …, {@code u64 0}; see the {@link org.jguix.store.transfer package doc}) and
 * adds each item to the store.
 *
 * <p>Per item, in the daemon's order: restore the NAR into a private temporary directory in the store
 * (temp-rooted, named like {@link StoreWriter}'s temporaries so a crash leaves nothing that survives
 * the next start), hashing the raw bytes as they stream by; read the trailer; with
 * {@code requireSignature} (what the daemon always passes) insist on a signature and have the
 * {@link Authenticator} verify it and return the hash it signs, which must be the one just computed;
 * then move the tree into place, canonicalise, hash and register through {@link StoreWriter#add} (temp
 * root, lock, re-check validity, atomic rename, one transaction), with the references as sent (each
 * must be valid by then — earlier items of the same stream are) and the deriver only if it is valid.
 * An item whose path is already valid is read and checked, then dropped.
 *
 * <p>Failure: the item being read leaves nothing behind (no temporary, no row); items before it stay
 * imported, as with the daemon, which registers each item as soon as it has read it. Errors are
 * {@link CorruptExportException}, {@link TruncatedExportException}, {@link AuthenticationException}
 * (messages are the daemon's) or, from registration, {@link StoreException}.
 *
 * <p>Laziness: the importer reads exactly the bytes of the stream, never ahead, and nothing after the
 * final {@code u64 0}: the Guix client crashes if ImportPaths asks for more data than it has. It does
 * no buffering; give it a {@link org.jguix.wire.TunnelInputStream} (whose reads never go beyond the
 * current chunk), or any stream — over-reading of a {@link java.io.BufferedInputStream} is the
 * caller's choice.
 */
public final class PathImporter {
    private final StoreDatabase db;
    private final StoreWriter writer;
    private final Authenticator authenticator;
    private final NarLimits narLimits;

    public PathImporter(StoreDatabase db, StoreWriter writer, Authenticator authenticator) {
        this(db, writer, authenticator, NarLimits.DEFAULT);
    }

    /** @param narLimits limits on names, targets and depth of the NARs read (see {@link NarReader}) */
    public PathImporter(StoreDatabase db, StoreWriter writer, Authenticator authenticator, NarLimits narLimits) {
        this.db = Objects.requireNonNull(db);
        this.writer = Objects.requireNonNull(writer);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.narLimits = Objects.requireNonNull(narLimits);
    }

    /**
     * Imports every item of the export stream on {@code in}, stopping right after its final marker.
     *
     * @param requireSignature the daemon's ImportPaths always passes true
     * @param tempRoots        the session's temp roots (the temporary directory and each imported path
     *                         are rooted, as {@code addTempRoot} does); null without a session
     * @return the imported paths in stream order (already valid ones included)
     */
    public List<String> importPaths(InputStream in, boolean requireSignature, TempRoots.Session tempRoots)
            throws IOException {
        HashingInputStream src = new HashingInputStream(in);
        WireReader wire = new WireReader(src);
        List<String> imported = new ArrayList<>();
        while (true) {
            long at = src.count();
            long marker = wireRead(src, at, () -> wire.readU64("ImportPaths.marker"));
            if (marker == ExportFormat.END) {
                return imported;
            }
            if (marker != ExportFormat.ITEM) {
                throw new CorruptExportException(TransferErrors.NOT_AN_EXPORT, at, null);
            }
            imported.add(importPath(src, wire, requireSignature, tempRoots));
        }
    }

    /** {@code LocalStore::importPath}: one item, from the first byte of its NAR. */
    private String importPath(HashingInputStream src, WireReader wire, boolean requireSignature,
            TempRoots.Session tempRoots) throws IOException {
        StoreLayout layout = db.layout();
        Path tmpDir = writer.newTemporary();
        Files.createDirectory(tmpDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            if (tempRoots != null) {
                tempRoots.add(layout.storeDirString() + "/" + tmpDir.getFileName());
            }
            Path unpacked = tmpDir.resolve("unpacked");
            src.startHashing();
            restore(src, unpacked);

            long at = src.count();
            int magic = wireRead(src, at, () -> wire.readInt("export.magic"));
            if (magic != ExportFormat.EXPORT_MAGIC) {
                throw new CorruptExportException(TransferErrors.WRONG_FORMAT, at, null);
            }
            String path = storePath(src, wire, "export.path");
            at = src.count();
            List<String> refList = wireRead(src, at, () -> wire.readStrings("export.references"));
            for (String r : refList) {
                checkStorePath(r, at);
            }
            at = src.count();
            String deriver = wireRead(src, at, () -> wire.readString("export.deriver"));
            if (!deriver.isEmpty()) {
                checkStorePath(deriver, at);
            }
            byte[] hash = src.finishHashing();

            at = src.count();
            boolean haveSignature = wireRead(src, at, () -> wire.readInt("export.hasSignature")) == 1;
            if (requireSignature && !haveSignature) {
                throw new AuthenticationException(TransferErrors.lacksSignature(path), 0, at);
            }
            if (haveSignature) {
                at = src.count();
                byte[] signature = wireRead(src, at, () -> wire.readBytes("export.signature")).toByteArray();
                if (requireSignature) {
                    String signed = authenticator.verify(signature);
                    if (!HexFormat.of().formatHex(hash).equals(signed)) {
                        throw new AuthenticationException(TransferErrors.HASH_MISMATCH, 0, at);
                    }
                }
            }

            Optional<String> validDeriver = !deriver.isEmpty() && db.isValidPath(deriver)
                    ? Optional.of(deriver) : Optional.empty();
            writer.add(path, target -> Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE),
                    new TreeSet<>(refList), validDeriver, tempRoots);
            return path;
        } finally {
            TreeDeleter.delete(tmpDir);
        }
    }

    private void restore(HashingInputStream src, Path unpacked) throws IOException {
        long start = src.count();
        try {
            NarRestorer.restore(new NarReader(src, narLimits), unpacked);
        } catch (NarTruncatedException e) {
            throw new TruncatedExportException(TransferErrors.UNEXPECTED_EOF, start + e.offset(), e);
        } catch (NarException e) {
            throw new CorruptExportException(e.reason(), e.offset() >= 0 ? start + e.offset() : src.count(), e);
        } catch (WireException e) {
            throw wireError(e, src.count());
        }
    }

    private String storePath(HashingInputStream src, WireReader wire, String field) throws IOException {
        long at = src.count();
        String p = wireRead(src, at, () -> wire.readString(field));
        checkStorePath(p, at);
        return p;
    }

    /** {@code readStorePath}'s {@code assertStorePath}, located. */
    private void checkStorePath(String p, long at) throws CorruptExportException {
        try {
            db.layout().assertStorePath(p);
        } catch (StoreException e) {
            throw new CorruptExportException(e.getMessage(), at, e);
        }
    }

    @FunctionalInterface
    private interface WireRead<T> {
        T read() throws IOException;
    }

    /** Runs one trailer read, turning the wire layer's errors into this package's, located. */
    private static <T> T wireRead(HashingInputStream src, long at, WireRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (WireException e) {
            throw wireError(e, at);
        }
    }

    private static TransferException wireError(WireException e, long at) {
        if (e instanceof WireEofException) {
            return new TruncatedExportException(TransferErrors.UNEXPECTED_EOF, at, e);
        }
        return new CorruptExportException(e.daemonText(), at, e);
    }
}
