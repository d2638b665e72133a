package org.jguix.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jguix.nar.NarDumper;
import org.jguix.nar.NarLister;
import org.jguix.nar.NarReader;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.NarWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jguix nar dump|restore|ls}: thin commands over the nar library, working on binary stdin/stdout
 * (picocli's writers are character streams, so the byte streams are held here and injectable for
 * tests). Errors (bad archive, missing path, existing target) print one line and exit 1.
 */
@Command(name = "nar", description = "Write, restore and list NAR archives (Nix ARchive format).",
        mixinStandardHelpOptions = true,
        subcommands = {NarCommand.Dump.class, NarCommand.Restore.class, NarCommand.Ls.class})
public final class NarCommand implements Runnable {
    private static final int BUFFER = 256 * 1024;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    private final InputStream stdin;
    private final OutputStream stdout;

    /** The real process streams; what picocli uses. */
    public NarCommand() {
        this(System.in, System.out);
    }

    /** Given streams, for in-process tests. */
    public NarCommand(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "jguix nar: missing command (dump, restore or ls)");
    }

    /** Runs {@code body}; an I/O error becomes "jguix nar CMD: message" on stderr and exit status 1. */
    private static int guarded(CommandLine.Model.CommandSpec spec, IoBody body) {
        try {
            body.run();
            return 0;
        } catch (IOException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (e instanceof java.nio.file.NoSuchFileException) {
                message = "no such file: " + message;
            } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
                message = "already exists: " + message;
            }
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private interface IoBody {
        void run() throws IOException;
    }

    @Command(name = "dump", description = "Write the NAR serialisation of PATH to stdout.", mixinStandardHelpOptions = true)
    static final class Dump implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @ParentCommand NarCommand parent;
        @Parameters(paramLabel = "PATH", description = "File, directory or symlink to serialise.") Path path;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                OutputStream out = new BufferedOutputStream(parent.stdout, BUFFER);
                NarWriter writer = new NarWriter(out);
                new NarDumper().dump(path, writer);
                out.flush();
            });
        }
    }

    @Command(name = "restore", description = "Restore the NAR on stdin to DIR, which must not exist.",
            mixinStandardHelpOptions = true)
    static final class Restore implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @ParentCommand NarCommand parent;
        @Parameters(paramLabel = "DIR", description = "Path to create (nothing is left there on failure).") Path target;

        @Override
        public Integer call() {
            return guarded(spec, () -> NarRestorer.restore(
                    new NarReader(new BufferedInputStream(parent.stdin, BUFFER)), target));
        }
    }

    @Command(name = "ls", description = "List the entries of the NAR on stdin, as `nix nar ls -lR NAR /` does.",
            mixinStandardHelpOptions = true)
    static final class Ls implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @ParentCommand NarCommand parent;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                OutputStream out = new BufferedOutputStream(parent.stdout, BUFFER);
                try {
                    new NarReader(new BufferedInputStream(parent.stdin, BUFFER)).transferTo(new NarLister(out));
                } finally {
                    out.flush();
                }
            });
        }
    }
}
