package org.jguix.build.sandbox;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code jguix-sandbox} executable: the system property
 * {@code jguix.sandbox.helper} if set, else next to this module's jar (or, when running
 * from {@code target/classes}, in {@code target/}) — where Maven's build puts it.
 */
public final class SandboxHelper {
    public static final String PROPERTY = "jguix.sandbox.helper";
    public static final String NAME = "jguix-sandbox";

    private SandboxHelper() {
    }

    public static Path locate() throws IOException {
        String configured = System.getProperty(PROPERTY);
        Path helper;
        if (configured != null) {
            helper = Path.of(configured);
        } else {
            try {
                Path code = Path.of(SandboxHelper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                helper = code.getParent().resolve(NAME);
            } catch (URISyntaxException | NullPointerException e) {
                throw new IOException("cannot locate " + NAME + " next to the jguix-build classes", e);
            }
        }
        if (!Files.isExecutable(helper)) {
            throw new IOException("sandbox helper `" + helper + "' is missing or not executable (set -D" + PROPERTY + ")");
        }
        return helper;
    }
}
