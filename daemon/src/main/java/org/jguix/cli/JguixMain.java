package org.jguix.cli;

/**
 * Entry point of {@code ./jguix}, the tools ({@link JguixCommand}).
 *
 * <p>Start-up matters here: {@code jguix hash path} is meant to be as fast as {@code nix hash path},
 * which hashes a 200 MB tree in 0.25 s. Setting picocli up in a fresh JVM alone takes 0.15-0.3 s, and
 * its Java 5 class files cannot go into the start-up cache the launcher keeps (see
 * {@code scripts/launch}). So this class does not touch picocli until it has to: a plain
 * {@code jguix hash} line runs through {@link HashRun#quick}, everything else through picocli. Nor does
 * it call {@code System.exit} for a success: on Java 21+ that sets up {@code System.Logger} (to log the
 * exit), ~10 ms. (Nor may a method of this class have a picocli type in its signature: the launcher
 * looks for {@code main} by reflection, which resolves every signature of the class.)
 */
public final class JguixMain {
    private JguixMain() {
    }

    public static void main(String[] args) {
        int status = HashRun.quick(args, System.out, System.err);
        if (status < 0) {
            status = JguixCommand.commandLine(args.length > 0 ? args[0] : null).execute(args);
        }
        if (status != 0) {
            System.exit(status);
        }
        System.out.flush();
    }
}
