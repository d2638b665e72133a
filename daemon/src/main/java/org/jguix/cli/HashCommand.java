package org.jguix.cli;

import java.nio.file.Path;
import java.util.List;
import org.jguix.hash.HashAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jguix hash file|path}: what {@code guix hash} prints ({@code guix/scripts/hash.scm}).
 * {@code file} hashes the bytes of a regular file ({@code -S none}, the default);
 * {@code path} hashes the NAR serialisation of any file tree ({@code -S nar}). Defaults and
 * option spellings are guix's: {@code -H sha256}, {@code -f nix-base32}; formats
 * {@code nix-base32}, {@code base32}, {@code base16}/{@code hex}/{@code hexadecimal},
 * {@code base64}. One line per argument. Algorithms are guix-daemon's
 * ({@link HashAlgorithm}); {@code guix hash} (libgcrypt) also knows e.g. sha384, we do not.
 * The work is {@link HashRun}'s, which also runs the plain forms of this command without picocli.
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = "Print the cryptographic hash of files, as guix hash does.")
public final class HashCommand implements Runnable {
    @Spec CommandSpec spec;

    /** The options both subcommands take, as guix hash spells them. */
    static final class HashOptions {
        @Option(names = {"-H", "--hash"}, defaultValue = "sha256", paramLabel = "ALGORITHM",
                description = "md5, sha1, sha256 (default), sha512, sha3-256, sha3-512, blake2s-256")
        String algorithm;

        @Option(names = {"-f", "--format"}, defaultValue = "nix-base32", paramLabel = "FMT",
                description = "nix-base32 (default), base32, base16 (hex, hexadecimal), base64")
        String format;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "jguix hash: missing command: file or path");
    }

    @Command(name = "file", mixinStandardHelpOptions = true,
            description = "Hash the contents of each FILE (guix hash -S none).")
    int file(@Mixin HashOptions options,
            @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> files) {
        return hashEach(options.algorithm, options.format, files, false);
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = "Hash the NAR serialisation of each PATH (guix hash -S nar).")
    int path(@Mixin HashOptions options,
            @Parameters(paramLabel = "PATH", arity = "1..*") List<Path> paths) {
        return hashEach(options.algorithm, options.format, paths, true);
    }

    private int hashEach(String algorithmName, String formatName, List<Path> paths, boolean nar) {
        return HashRun.run(spec.commandLine().getOut(), spec.commandLine().getErr(), algorithmName, formatName,
                paths, nar);
    }
}
