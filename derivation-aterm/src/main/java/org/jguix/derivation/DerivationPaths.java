package org.jguix.derivation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jguix.hash.Hash;
import org.jguix.hash.InvalidHashException;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.InvalidStorePathException;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;
import org.jguix.storepath.StorePaths;

/**
 * The store paths of a derivation: its {@code .drv} path ({@code writeDerivation}) and its
 * output paths, computed and verified as {@code LocalStore::checkDerivationOutputs} and
 * Guile's {@code derivation} do.
 */
public final class DerivationPaths {
    /** {@code drvExtension}. */
    public static final String DRV_EXTENSION = ".drv";

    private DerivationPaths() {}

    /** The derivation name of a {@code .drv} path: its store name minus {@code .drv}. */
    public static String drvName(StorePath drvPath) throws InvalidDerivationException {
        String name = drvPath.name();
        if (!name.endsWith(DRV_EXTENSION)) {
            throw new InvalidDerivationException("`" + drvPath + "' is not a derivation (name lacks `.drv')");
        }
        return name.substring(0, name.length() - DRV_EXTENSION.length());
    }

    /**
     * {@code writeDerivation}: the text path of {@code name.drv} holding the printed
     * derivation, whose references are its input sources and input {@code .drv}s.
     */
    public static StorePath drvPath(StoreDir dir, String name, Derivation drv) throws InvalidStorePathException {
        List<StorePath> refs = new ArrayList<>();
        for (String r : drv.references()) {
            refs.add(dir.parsePath(r));
        }
        return StorePaths.makeTextPath(dir, name + DRV_EXTENSION, DerivationPrinter.print(drv), refs);
    }

    /**
     * The output paths {@code drv} must have: {@code makeFixedOutputPath} for a
     * fixed-output derivation, else {@code makeOutputPath(id, hashModulo(masked), drvName)}.
     */
    public static SortedMap<String, StorePath> outputPaths(StoreDir dir, Derivation drv, String drvName,
            DerivationHasher hasher) throws IOException {
        SortedMap<String, StorePath> paths = new TreeMap<>(ByteOrder.COMPARATOR);
        if (drv.isFixedOutput()) {
            DerivationOutput out = drv.outputs().get("out");
            try {
                paths.put("out", StorePaths.makeFixedOutputPath(dir, out.fixedOutputHash(), drvName));
            } catch (InvalidHashException e) {
                throw new InvalidDerivationException("output `out': " + e.getMessage(), e);
            }
            return paths;
        }
        Hash h = hasher.hashModulo(drv.masked());
        for (String id : drv.outputs().keySet()) {
            paths.put(id, StorePaths.makeOutputPath(dir, id, h, drvName));
        }
        return paths;
    }

    /**
     * {@code checkDerivationOutputs}: each output's path and {@code env[id]} must equal its
     * recomputation; the first mismatch (in output order) is reported in the daemon's words.
     */
    public static void check(StorePath drvPath, Derivation drv, DerivationHasher hasher) throws IOException {
        Map<String, StorePath> expected = outputPaths(drvPath.dir(), drv, drvName(drvPath), hasher);
        for (Map.Entry<String, StorePath> e : expected.entrySet()) {
            String given = drv.outputs().get(e.getKey()).path();
            String want = e.getValue().absolute();
            if (!given.equals(want) || !want.equals(drv.env().get(e.getKey()))) {
                throw new IncorrectOutputException(drvPath.absolute(), given, want);
            }
        }
    }

    /**
     * Fills in output paths the way Guile's {@code derivation} does: computes them from the
     * masked form and sets both {@code outputs[id].path} and {@code env[id]}.
     */
    public static Derivation withOutputPaths(StoreDir dir, Derivation drv, String drvName, DerivationHasher hasher)
            throws IOException {
        Map<String, StorePath> paths = outputPaths(dir, drv.masked(), drvName, hasher);
        SortedMap<String, DerivationOutput> outputs = new TreeMap<>(ByteOrder.COMPARATOR);
        SortedMap<String, String> env = new TreeMap<>(drv.env());
        for (Map.Entry<String, DerivationOutput> e : drv.outputs().entrySet()) {
            String p = paths.get(e.getKey()).absolute();
            outputs.put(e.getKey(), e.getValue().withPath(p));
            env.put(e.getKey(), p);
        }
        return drv.withOutputsAndEnv(outputs, env);
    }
}
