package org.jguix.nar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The golden fixtures made by fixtures/generate-nar-fixtures.sh from the real Nix and guix tools. */
final class Fixtures {
    static final Path DIR = Path.of("..", "fixtures", "nar");

    private Fixtures() {
    }

    /** Names of fixtures with a real tool's hash: valid NARs. */
    static List<String> valid() throws IOException {
        return names(".sha256");
    }

    /** Names of the broken siblings: each has the jguix reason it must be refused with. */
    static List<String> broken() throws IOException {
        return names(".jguix-error");
    }

    static byte[] nar(String name) throws IOException {
        return Files.readAllBytes(DIR.resolve(name + ".nar"));
    }

    static String text(String name, String ext) throws IOException {
        return Files.readString(DIR.resolve(name + ext), StandardCharsets.UTF_8).strip();
    }

    static boolean has(String name, String ext) {
        return Files.exists(DIR.resolve(name + ext));
    }

    private static List<String> names(String ext) throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext))
                    .map(n -> n.substring(0, n.length() - ext.length())).sorted().toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no fixtures *" + ext + " in " + DIR.toAbsolutePath());
            }
            return names;
        }
    }
}
