package org.jguix.storepath;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;

/**
 * Store path computation ({@code store-api.cc}). Every path is
 * <pre>
 *   s    = TYPE ":sha256:" hex(INNER) ":" STORE_DIR ":" NAME
 *   path = STORE_DIR "/" nixbase32(compressHash(sha256(s), 20)) "-" NAME
 * </pre>
 * with TYPE one of {@code text[:REF…]}, {@code source}, {@code output:ID}. Strings are byte
 * strings held as ISO-8859-1 (in practice ASCII: names and store paths are checked).
 */
public final class StorePaths {
    private StorePaths() {}

    /**
     * {@code makeStorePath(type, hash, name)}.
     *
     * @param inner a SHA-256 hash (the literal {@code sha256} in {@code s} is constant)
     */
    public static StorePath makeStorePath(StoreDir dir, String type, Hash inner, String name)
            throws InvalidStorePathException {
        if (inner.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("makeStorePath needs a sha256 inner hash, not " + inner.algorithm());
        }
        StoreName.check(name);
        String s = type + ":sha256:" + inner.toBase16() + ":" + dir.path() + ":" + name;
        return StorePath.of(dir, Hash.sha256(s).compress(StorePath.DIGEST_SIZE), name);
    }

    /**
     * {@code computeStorePathForText(name, contents, references)}: type {@code text} plus
     * {@code :REF} for each reference in sorted, de-duplicated byte order, as the daemon's
     * {@code PathSet} does whatever order the client sent.
     */
    public static StorePath makeTextPath(StoreDir dir, String name, Hash contentsSha256,
            Collection<StorePath> references) throws InvalidStorePathException {
        SortedSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
        for (StorePath r : references) {
            refs.add(r.absolute());
        }
        StringBuilder type = new StringBuilder("text");
        for (String r : refs) {
            type.append(':').append(r);
        }
        return makeStorePath(dir, type.toString(), contentsSha256, name);
    }

    /** {@link #makeTextPath} of raw contents. */
    public static StorePath makeTextPath(StoreDir dir, String name, byte[] contents,
            Collection<StorePath> references) throws InvalidStorePathException {
        return makeTextPath(dir, name, Hash.sha256(contents), references);
    }

    /**
     * {@code makeFixedOutputPath(recursive, algo, hash, name)}: recursive sha256 is a
     * {@code source} path of the NAR hash itself; everything else (flat, or recursive with
     * another algorithm) is {@code output:out} of sha256({@code fixed:out:[r:]ALGO:HEX:}).
     */
    public static StorePath makeFixedOutputPath(StoreDir dir, FixedOutputHash fixed, String name)
            throws InvalidStorePathException {
        Hash h = fixed.hash();
        if (fixed.recursive() && h.algorithm() == HashAlgorithm.SHA256) {
            return makeStorePath(dir, "source", h, name);
        }
        String tag = "fixed:out:" + fixed.hashAlgoField() + ":" + h.toBase16() + ":";
        return makeStorePath(dir, "output:out", Hash.sha256(tag), name);
    }

    /**
     * {@code makeOutputPath(id, hash, name)}: type {@code output:ID}, name {@code drvName}
     * for output {@code out} and {@code drvName-ID} otherwise.
     */
    public static StorePath makeOutputPath(StoreDir dir, String outputId, Hash hashModulo, String drvName)
            throws InvalidStorePathException {
        return makeStorePath(dir, "output:" + outputId, hashModulo,
                outputId.equals("out") ? drvName : drvName + "-" + outputId);
    }
}
