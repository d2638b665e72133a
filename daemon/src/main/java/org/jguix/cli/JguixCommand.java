package org.jguix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The picocli command line of {@code ./jguix}: the tools, one class per subcommand, thin over the
 * libraries. {@link JguixMain} is the entry point.
 *
 * <p>Start-up: reading a command's annotations when it is registered is a good part of setting picocli
 * up, so a command line for one subcommand registers only that one; anything else ({@code --help},
 * {@code help}, a typo) gets every subcommand, so that help and "did you mean" see them all.
 */
@Command(name = "jguix", mixinStandardHelpOptions = true, version = "jguix 0.1.0",
        description = "Tools of jguix, a Java replacement for guix-daemon.")
final class JguixCommand implements Runnable {
    /** The subcommands, in help order. */
    private static final String[] NAMES = {"help", "nar", "hash", "drv"};

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The command line with every subcommand; tests call {@code execute()} on it in-process. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The command line with only subcommand {@code first}, or with all if {@code first} is null or names none. */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new JguixCommand());
        Object only = first == null || first.equals("help") ? null : subcommand(first);
        if (only != null) {
            cl.addSubcommand(only);
        } else {
            for (String name : NAMES) {
                cl.addSubcommand(subcommand(name));
            }
        }
        return cl;
    }

    private static Object subcommand(String name) {
        return switch (name) {
            case "help" -> new CommandLine.HelpCommand();
            case "nar" -> new NarCommand();
            case "hash" -> new HashCommand();
            case "drv" -> new DrvCommand();
            default -> null;
        };
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "jguix: missing command (try 'jguix --help')");
    }
}
