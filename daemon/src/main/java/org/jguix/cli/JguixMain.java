package org.jguix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./jguix}: the tools. Each subcommand is one class, thin over the libraries. */
@Command(name = "jguix", mixinStandardHelpOptions = true, version = "jguix 0.1.0",
        description = "Tools of jguix, a Java replacement for guix-daemon.",
        subcommands = {CommandLine.HelpCommand.class, NarCommand.class, HashCommand.class, DrvCommand.class})
public final class JguixMain implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute()} on it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new JguixMain());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "jguix: missing command (try 'jguix --help')");
    }
}
