package org.jguix.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the outputs of a {@code .drv} file that is being registered, for the {@code DerivationOutputs}
 * table ({@code LocalStore::addValidPath} calls {@code readDerivation}). The store module cannot parse
 * ATerms itself without depending on the derivation module's parser, so the daemon wires one in
 * (normally {@code org.jguix.derivation.Derivation}'s parser).
 *
 * <p>{@link #check} corresponds to {@code LocalStore::checkDerivationOutputs}: it runs inside the
 * registration transaction after all references are registered and may throw to roll everything back
 * (message: {@code derivation `D' has incorrect output `X', should be `Y'}).
 */
@FunctionalInterface
public interface DerivationOutputsReader {
    /** Output name to output path, for the {@code .drv} file at {@code drvFile}. */
    Map<String, String> outputs(Path drvFile) throws IOException;

    /** Verifies the output paths of {@code drvFile}; by default accepts everything. */
    default void check(Path drvFile) throws IOException {
    }
}
