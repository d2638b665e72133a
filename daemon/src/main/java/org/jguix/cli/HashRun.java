package org.jguix.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.hash.HashFormat;
import org.jguix.nar.NarHasher;

/**
 * The work of {@code jguix hash file|path}, free of picocli: {@link HashCommand} runs it once picocli
 * has parsed the command line, and {@link JguixMain#main} first offers the line to {@link #quick}.
 *
 * <p>Why a second parser: {@code jguix hash} is meant to be as fast as {@code nix hash path}, which
 * hashes a 200 MB tree in 0.25 s, and setting up picocli in a fresh JVM (its annotation reflection and
 * its Java 5 class files, which the JVM's start-up caches cannot hold) alone takes 0.15-0.3 s. So
 * {@link #quick} takes the plain forms only: {@code hash file|path}, then {@code -H}/{@code --hash} and
 * {@code -f}/{@code --format} each at most once with its value as the next argument, then one or more
 * paths, where no value or path starts with {@code -} or {@code @} or is empty. Anything else (help,
 * {@code --hash=X}, options after paths, repeated options, every parse error) goes to picocli, which
 * stays the definition of the command line; {@code HashRunTest} checks that both agree.
 */
final class HashRun {
    static final String PREFIX = "jguix hash: error: ";

    private HashRun() {
    }

    /**
     * Runs {@code args} (the whole {@code jguix} command line) if it is a plain {@code hash} line;
     * returns its exit status, or -1 if picocli must parse it.
     */
    static int quick(String[] args, PrintStream stdout, PrintStream stderr) {
        if (args.length < 3 || !args[0].equals("hash") || !(args[1].equals("file") || args[1].equals("path"))) {
            return -1;
        }
        String algorithm = null;
        String format = null;
        int i = 2;
        for (; i < args.length && args[i].startsWith("-"); i += 2) {
            if (i + 1 >= args.length || !plain(args[i + 1])) {
                return -1;
            }
            switch (args[i]) {
                case "-H", "--hash" -> {
                    if (algorithm != null) {
                        return -1;
                    }
                    algorithm = args[i + 1];
                }
                case "-f", "--format" -> {
                    if (format != null) {
                        return -1;
                    }
                    format = args[i + 1];
                }
                default -> {
                    return -1;
                }
            }
        }
        if (i == args.length) {
            return -1;
        }
        List<Path> paths = new ArrayList<>(args.length - i);
        for (; i < args.length; i++) {
            if (!plain(args[i])) {
                return -1;
            }
            try {
                paths.add(Path.of(args[i]));
            } catch (InvalidPathException e) {
                return -1;
            }
        }
        // what picocli's getOut()/getErr() would be: the default charset, flushing on println
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, Charset.defaultCharset()), true);
        return run(out, err, algorithm != null ? algorithm : "sha256", format != null ? format : "nix-base32",
                paths, args[1].equals("path"));
    }

    private static boolean plain(String arg) {
        return !arg.isEmpty() && !arg.startsWith("-") && !arg.startsWith("@");
    }

    /** Prints the hash of each path, one line each; the first failure ends the run with status 1. */
    static int run(PrintWriter out, PrintWriter err, String algorithmName, String formatName, List<Path> paths,
            boolean nar) {
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

    /** {@code hashFile}: the file's bytes, read ahead of the digest by the nar module. */
    private static Hash flatHash(HashAlgorithm algorithm, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("Is a directory");
        }
        MessageDigest md = algorithm.newDigest();
        NarHasher.updateFile(file, md);
        return Hash.of(algorithm, md.digest());
    }

    /** {@code hashPath}: the NAR streams from the nar module's dumper into the digest. */
    private static Hash narHash(HashAlgorithm algorithm, Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.toString());
        }
        MessageDigest md = algorithm.newDigest();
        NarHasher.updatePath(path, md);
        return Hash.of(algorithm, md.digest());
    }
}
