package org.jguix.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationLoader;
import org.jguix.derivation.DerivationParser;

/**
 * The golden fixtures of {@code fixtures/drv/}, written by
 * {@code fixtures/generate-drv-fixtures.sh} from the real guix 1.5.0 client and daemon.
 * Maven runs tests with the module directory as working directory.
 */
public final class DrvFixtures {
    public static final Path DIR = Path.of("../fixtures/drv");

    private DrvFixtures() {}

    /** One real {@code .drv} and the real client's reading of it ({@code NAME.txt}). */
    public record Fixture(String name, Path drvFile, String drvPath, Map<String, String> outputs, String hashModulo) {
        public byte[] bytes() {
            try {
                return Files.readAllBytes(drvFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every {@code NAME.drv} with its {@code NAME.txt}. */
    public static List<Fixture> fixtures() throws IOException {
        List<Fixture> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".drv")) {
                    continue;
                }
                String name = file.substring(0, file.length() - 4);
                String drvPath = null;
                String hashModulo = null;
                Map<String, String> outputs = new TreeMap<>();
                for (String line : Files.readAllLines(DIR.resolve(name + ".txt"), StandardCharsets.ISO_8859_1)) {
                    String[] w = line.split(" ");
                    switch (w[0]) {
                        case "drvPath" -> drvPath = w[1];
                        case "output" -> outputs.put(w[1], w[2]);
                        case "hashModulo" -> hashModulo = w[1];
                        default -> throw new IOException(name + ".txt: unknown line " + line);
                    }
                }
                all.add(new Fixture(name, f, drvPath, outputs, hashModulo));
            }
        }
        return all;
    }

    /** A loader reading fixtures by their store {@code .drv} path, as the store would. */
    public static DerivationLoader loader() throws IOException {
        Map<String, Path> byPath = new HashMap<>();
        for (Fixture f : fixtures()) {
            byPath.put(f.drvPath(), f.drvFile());
        }
        DerivationParser parser = new DerivationParser();
        return path -> {
            Path file = byPath.get(path);
            if (file == null) {
                throw new IOException("no fixture for " + path);
            }
            return parser.parse(Files.readAllBytes(file));
        };
    }

    /** Tab-separated rows of a fixture table, comments skipped. */
    public static List<String[]> table(String file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8)) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    /** Parses a fixture's derivation. */
    public static Derivation parse(Fixture f) throws IOException {
        return new DerivationParser().parse(f.bytes());
    }
}
