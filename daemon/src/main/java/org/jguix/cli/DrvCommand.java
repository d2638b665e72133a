package org.jguix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationLoader;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.derivation.DerivationPaths;
import org.jguix.derivation.IncorrectOutputException;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jguix drv show|check|hash FILE.drv}: reads a {@code .drv} with the strict parser.
 * Input derivations are loaded from the directory the file sits in, by base name, so a
 * copy of a store works as well as the store itself; {@code --store-dir} names the store
 * directory the paths were computed for (default: that directory).
 */
@Command(name = "drv", mixinStandardHelpOptions = true, description = "Inspect and verify derivations (.drv files).")
public final class DrvCommand implements Runnable {
    private static final String PREFIX = "jguix drv: error: ";

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "jguix drv: missing command: show, check or hash");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the derivation as JSON (the layout of `nix derivation show').")
    int show(@Parameters(paramLabel = "FILE.drv") Path file) {
        return run(file, null, (drv, hasher, out) -> {
            StringBuilder sb = new StringBuilder("{");
            Json.string(sb, file.toString()).append(":{\"outputs\":{");
            Iterator<Map.Entry<String, DerivationOutput>> outputs = drv.outputs().entrySet().iterator();
            while (outputs.hasNext()) {
                Map.Entry<String, DerivationOutput> e = outputs.next();
                Json.string(sb, e.getKey()).append(":{\"path\":");
                Json.string(sb, e.getValue().path());
                if (e.getValue().hasHash()) {
                    Json.string(sb.append(",\"hashAlgo\":"), e.getValue().hashAlgo());
                    Json.string(sb.append(",\"hash\":"), e.getValue().hash());
                }
                sb.append(outputs.hasNext() ? "}," : "}");
            }
            sb.append("},\"inputSrcs\":");
            Json.array(sb, drv.inputSrcs()).append(",\"inputDrvs\":{");
            Iterator<Map.Entry<String, SortedSet<String>>> inputs = drv.inputDrvs().entrySet().iterator();
            while (inputs.hasNext()) {
                Map.Entry<String, SortedSet<String>> e = inputs.next();
                Json.array(Json.string(sb, e.getKey()).append(':'), e.getValue()).append(inputs.hasNext() ? "," : "");
            }
            Json.string(sb.append("},\"system\":"), drv.platform());
            Json.string(sb.append(",\"builder\":"), drv.builder());
            Json.array(sb.append(",\"args\":"), drv.args()).append(",\"env\":{");
            Iterator<Map.Entry<String, String>> env = drv.env().entrySet().iterator();
            while (env.hasNext()) {
                Map.Entry<String, String> e = env.next();
                Json.string(Json.string(sb, e.getKey()).append(':'), e.getValue()).append(env.hasNext() ? "," : "");
            }
            out.println(sb.append("}}}"));
        });
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Recompute the output paths and compare them with those written (as guix-daemon does on registration).")
    int check(@Option(names = "--store-dir", paramLabel = "DIR") String storeDir,
            @Parameters(paramLabel = "FILE.drv") Path file) {
        return run(file, storeDir, (drv, hasher, out) -> {
            StorePath drvPath = drvPathOf(file, storeDir);
            DerivationPaths.check(drvPath, drv, hasher);
            for (Map.Entry<String, DerivationOutput> e : drv.outputs().entrySet()) {
                out.println(e.getKey() + " " + e.getValue().path());
            }
        });
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Print hashDerivationModulo of the derivation, in base16.")
    int hash(@Parameters(paramLabel = "FILE.drv") Path file) {
        return run(file, null, (drv, hasher, out) -> out.println(hasher.hashModulo(drv).toBase16()));
    }

    private interface Action {
        void apply(Derivation drv, DerivationHasher hasher, PrintWriter out) throws IOException;
    }

    private int run(Path file, String storeDir, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DerivationParser parser = new DerivationParser();
        Path dir = file.toAbsolutePath().normalize().getParent();
        DerivationLoader loader = p -> {
            Path input = dir.resolve(Path.of(p).getFileName());
            try {
                return parser.parse(Files.readAllBytes(input));
            } catch (IOException e) {
                throw new InputLoadException(input + ": " + describe(e), e);
            }
        };
        try {
            Derivation drv = parser.parse(Files.readAllBytes(file));
            action.apply(drv, new DerivationHasher(loader), out);
            out.flush();
            return 0;
        } catch (IncorrectOutputException | InputLoadException e) {
            // These name the file(s) concerned themselves.
            return fail(err, e.getMessage());
        } catch (IOException e) {
            return fail(err, file + ": " + describe(e));
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println(PREFIX + message);
        err.flush();
        return 1;
    }

    /** An input derivation that could not be read; the message names it. */
    private static final class InputLoadException extends IOException {
        private static final long serialVersionUID = 1L;

        InputLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
    }

    /** The store path the file stands for: its base name inside the store directory. */
    private static StorePath drvPathOf(Path file, String storeDir) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        StoreDir dir = StoreDir.of(storeDir != null ? storeDir : abs.getParent().toString());
        return dir.parsePath(dir.path() + "/" + abs.getFileName());
    }

    /** Just enough JSON: strings (bytes as U+0000–U+00FF), arrays of strings. */
    private static final class Json {
        private Json() {}

        static StringBuilder string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"');
        }

        static StringBuilder array(StringBuilder sb, Collection<String> values) {
            sb.append('[');
            Iterator<String> it = values.iterator();
            while (it.hasNext()) {
                string(sb, it.next()).append(it.hasNext() ? "," : "");
            }
            return sb.append(']');
        }
    }
}
