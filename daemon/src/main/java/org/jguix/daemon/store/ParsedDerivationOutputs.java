package org.jguix.daemon.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.derivation.DerivationPaths;
import org.jguix.store.DerivationOutputsReader;
import org.jguix.store.StoreLayout;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;

/**
 * The store's {@code .drv} hook wired to the derivation module: {@code LocalStore::addValidPath}'s
 * {@code readDerivation} for the {@code DerivationOutputs} rows, and
 * {@code LocalStore::checkDerivationOutputs} ({@link DerivationPaths#check}) so that registering a
 * derivation whose output paths are not the ones its contents imply fails with the daemon's
 * "derivation `D' has incorrect output `X', should be `Y'" and rolls the registration back.
 * Input derivations are read from the store as {@code hashDerivationModulo} needs them.
 */
public final class ParsedDerivationOutputs implements DerivationOutputsReader {
    private final StoreLayout layout;
    private final StoreDir storeDir;
    private final DerivationParser parser = new DerivationParser();

    public ParsedDerivationOutputs(StoreLayout layout) throws IOException {
        this.layout = layout;
        this.storeDir = StoreDir.of(layout.storeDirString());
    }

    @Override
    public Map<String, String> outputs(Path drvFile) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, DerivationOutput> e : read(drvFile).outputs().entrySet()) {
            out.put(e.getKey(), e.getValue().path());
        }
        return out;
    }

    @Override
    public void check(Path drvFile) throws IOException {
        StorePath drvPath = storeDir.parsePath(storeDir.path() + "/" + drvFile.getFileName());
        // One hasher per check: it memoises input derivations and is not thread-safe.
        DerivationHasher hasher = new DerivationHasher(p -> read(layout.file(p)));
        DerivationPaths.check(drvPath, read(drvFile), hasher);
    }

    private Derivation read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.read(in);
        }
    }
}
