package org.jguix.build.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationParser;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;

/**
 * {@code fixtures/build-env/} (made by {@code fixtures/generate-build-env-fixtures.sh} with the
 * real guix-daemon 1.5.0): the {@code env-report} derivation, its input closure and what
 * its builder observed per daemon mode, split into the report's {@code == NAME} sections.
 */
public record BuildEnvFixture(StorePath drvPath, Derivation drv, Set<String> inputs) {
    public static final Path DIR = Path.of("..", "fixtures", "build-env");
    /** The sid root's build user guixbuilder01 and group guixbuild (what mode-r used). */
    public static final BuildIdentity MODE_R_USER = new BuildIdentity.BuildUser(999, 999, List.of(999));
    public static final String DRV_PATH = "/gnu/store/w1wh7vb1x2899ijwlssrkqy5zrks2sxb-env-report.drv";

    public static BuildEnvFixture load() throws IOException {
        StoreDir store = StoreDir.of("/gnu/store");
        Derivation drv = new DerivationParser().parse(Files.readAllBytes(DIR.resolve("env-report.drv")));
        Set<String> inputs = new TreeSet<>(Files.readAllLines(DIR.resolve("inputs.txt")));
        return new BuildEnvFixture(store.parsePath(DRV_PATH), drv, inputs);
    }

    public BuildInputs inputs(BuildIdentity identity) {
        return BuildInputs.of(drvPath, drv, inputs, identity);
    }

    /** The real builder's report for a mode ({@code mode-r}), as text. */
    public static String observed(String mode) throws IOException {
        return Files.readString(DIR.resolve(mode + ".observed.txt"), StandardCharsets.ISO_8859_1);
    }

    /** Sections of a report: {@code "identity"} → its lines, in order. */
    public static Map<String, List<String>> sections(String report) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = "";
        out.put(current, new java.util.ArrayList<>());
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("== ")) {
                current = line.substring(3);
                out.put(current, new java.util.ArrayList<>());
            } else {
                out.get(current).add(line);
            }
        }
        return out;
    }
}
