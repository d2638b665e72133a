package org.jguix.derivation;

import java.io.IOException;

/** Reads the derivation stored at a {@code .drv} path (the store's {@code readDerivation}). */
@FunctionalInterface
public interface DerivationLoader {
    Derivation load(String drvPath) throws IOException;
}
