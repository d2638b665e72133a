package org.jguix.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.hash.HashFormat;
import org.jguix.nar.NarDumper;
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
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = "Print the cryptographic hash of files, as guix hash does.")
public final class HashCommand implements Runnable {
    private static final String PREFIX = "jguix hash: error: ";

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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Same wording as guix hash's option parser.
        Optional<HashAlgorithm> algorithm = HashAlgorithm.lookup(algorithmName);
        if (algorithm.isEmpty()) {
            err.println(PREFIX + algorithmName + ": unknown hash algorithm");
            return 1;
        }
        Optional<HashFormat> format = HashFormat.lookup(formatName);
        if (format.isEmpty()) {
            err.println(PREFIX + "unsupported hash format: " + formatName);
            return 1;
        }
        for (Path p : paths) {
            try {
                Hash h = nar ? narHash(algorithm.get(), p) : flatHash(algorithm.get(), p);
                out.println(format.get().format(h));
            } catch (NoSuchFileException e) {
                err.println(PREFIX + p + ": No such file or directory");
                return 1;
            } catch (IOException e) {
                err.println(PREFIX + p + ": " + e.getMessage());
                return 1;
            }
        }
        out.flush();
        return 0;
    }

    private static Hash flatHash(HashAlgorithm algorithm, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("Is a directory");
        }
        MessageDigest md = algorithm.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return Hash.of(algorithm, md.digest());
    }

    /** {@code hashPath}: the NAR streams from the nar module's dumper into the digest. */
    private static Hash narHash(HashAlgorithm algorithm, Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.toString());
        }
        MessageDigest md = algorithm.newDigest();
        try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), md),
                64 * 1024)) {
            NarDumper.dump(path, out);
        }
        return Hash.of(algorithm, md.digest());
    }
}
