package org.jguix.daemon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.DaemonConfig.LogCompression;
import org.jguix.daemon.config.DaemonPaths;
import org.jguix.daemon.config.ListenAddress;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.config.SettingsException;

/**
 * guix-daemon's command line ({@code nix/nix-daemon/guix-daemon.cc}: {@code options[]},
 * {@code parse_opt}): the same options, the same abbreviation rules, the same messages and exit
 * statuses (64 for usage errors as argp, 1 for bad values). Options whose behaviour jguix does
 * not have yet are refused with a clear message rather than silently ignored.
 */
public final class DaemonCommandLine {
    /** argp's {@code EX_USAGE}. */
    public static final int EXIT_USAGE = 64;

    // In options[] order: getopt lists ambiguous candidates in this order.
    static final List<ArgpOption> OPTIONS = List.of(
            ArgpOption.required("system"),
            ArgpOption.required("cores").withShort('c'),
            ArgpOption.required("max-jobs").withShort('M'),
            ArgpOption.required("timeout"),
            ArgpOption.required("max-silent-time"),
            ArgpOption.flag("disable-chroot"),
            ArgpOption.required("chroot-directory"),
            ArgpOption.required("build-users-group"),
            ArgpOption.flag("no-substitutes"),
            ArgpOption.required("substitute-urls"),
            ArgpOption.flag("no-offload"),
            ArgpOption.flag("no-build-hook"),
            ArgpOption.flag("cache-failures"),
            ArgpOption.required("rounds"),
            ArgpOption.flag("lose-logs"),
            ArgpOption.flag("disable-log-compression"),
            ArgpOption.required("log-compression"),
            ArgpOption.optional("discover"),
            ArgpOption.flag("disable-deduplication"),
            ArgpOption.flag("disable-store-optimization"),
            ArgpOption.flag("impersonate-linux-2.6"),
            ArgpOption.optional("gc-keep-outputs"),
            ArgpOption.optional("gc-keep-derivations"),
            ArgpOption.required("listen"),
            ArgpOption.flag("debug"),
            ArgpOption.flag("isolate-host-loopback"),
            ArgpOption.flag("help").withShort('?'),
            ArgpOption.flag("usage"),
            ArgpOption.flag("version").withShort('V'));

    private final String program;

    public DaemonCommandLine(String program) {
        this.program = program;
    }

    /** Decides what {@code args} ask for, with {@code env} as the daemon's environment. */
    public Invocation parse(List<String> args, Map<String, String> env) {
        List<ArgpParser.Occurrence> given;
        try {
            given = new ArgpParser(OPTIONS).parse(args);
        } catch (ArgpUsageException e) {
            return new Invocation.Refuse(program + ": " + e.getMessage() + "\n" + tryHelp(), EXIT_USAGE);
        }
        Builder b = new Builder();
        try {
            for (ArgpParser.Occurrence o : given) {
                // argp acts on --help/--usage/--version as soon as it meets them, like here.
                switch (o.option().longName()) {
                    case "help" -> { return new Invocation.Print(resource("guix-daemon-help.txt")); }
                    case "usage" -> { return new Invocation.Print(resource("guix-daemon-usage.txt")); }
                    case "version" -> { return new Invocation.Print("guix-daemon (GNU Guix) 1.5.0 (jguix 0.1.0)\n"); }
                    default -> b.apply(o.option().longName(), o.value());
                }
            }
            b.settings.validate();
        } catch (SettingsException e) {
            return new Invocation.Refuse("error: " + e.getMessage(), 1);
        } catch (UnsupportedOptionException e) {
            return new Invocation.Refuse(program + ": " + e.getMessage(), 1);
        }
        return new Invocation.Run(new DaemonConfig(b.settings, DaemonPaths.fromEnvironment(env), b.listen,
                b.compression, b.useBuildHook, b.debug));
    }

    private String tryHelp() {
        return "Try `" + program + " --help' or `" + program + " --usage' for more information.";
    }

    private static String resource(String name) {
        try (InputStream in = DaemonCommandLine.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    private static final class UnsupportedOptionException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedOptionException(String option) {
            super(option + " is not supported yet by jguix-daemon");
        }
    }

    /** Accumulates the effect of each option in order, like {@code parse_opt}. */
    private static final class Builder {
        Settings settings = Settings.DEFAULTS;
        final List<ListenAddress> listen = new ArrayList<>();
        LogCompression compression = LogCompression.GZIP;
        boolean useBuildHook = true;
        boolean debug;

        void apply(String option, String value) throws SettingsException, UnsupportedOptionException {
            switch (option) {
                case "system" -> field("system", value);
                case "cores" -> set("build-cores", value);
                case "max-jobs" -> set("build-max-jobs", value);
                case "timeout" -> set("build-timeout", value);
                case "max-silent-time" -> set("build-max-silent-time", value);
                case "disable-chroot" -> field("build-use-chroot", "false");
                case "chroot-directory" -> {
                    String dirs = settings.getString("build-extra-chroot-dirs", "");
                    set("build-extra-chroot-dirs", dirs.isEmpty() ? value : dirs + " " + value);
                }
                case "build-users-group" -> field("build-users-group", value);
                case "cache-failures" -> field("build-cache-failure", "true");
                case "rounds" -> set("build-repeat", Long.toString(rounds(value) - 1));
                case "no-substitutes" -> set("build-use-substitutes", "false");
                case "substitute-urls" -> set("substitute-urls", value);
                case "no-offload", "no-build-hook" -> useBuildHook = false;
                case "lose-logs" -> field("build-keep-log", "false");
                case "log-compression" -> compression = compression(value);
                case "disable-log-compression" -> compression = LogCompression.NONE;
                case "discover" -> {
                    boolean on = value == null || yesNo(value);
                    if (on) {
                        throw new UnsupportedOptionException("--discover=yes");
                    }
                    set("discover", "false");
                }
                case "disable-deduplication", "disable-store-optimization" -> field("auto-optimise-store", "false");
                case "impersonate-linux-2.6" -> throw new UnsupportedOptionException("--impersonate-linux-2.6");
                case "gc-keep-outputs" -> field("gc-keep-outputs", Boolean.toString(value == null || yesNo(value)));
                case "gc-keep-derivations" -> field("gc-keep-derivations", Boolean.toString(value == null || yesNo(value)));
                case "listen" -> listen.add(ListenAddress.parse(value));
                case "debug" -> debug = true;
                case "isolate-host-loopback" -> field("isolate-host-loopback", "true");
                default -> throw new IllegalStateException("option without handler: " + option);
            }
        }

        /** {@code settings.set(key, value)} in guix-daemon's {@code parse_opt}. */
        private void set(String key, String value) {
            settings = settings.with(key, value);
        }

        /** An assignment to a field of guix-daemon's {@code settings} ({@code settings.useChroot = false}...). */
        private void field(String key, String value) {
            settings = settings.withField(key, value);
        }

        /** {@code --rounds}: a positive count; guix-daemon's strtoul also takes 0 (as 2^64-1): we refuse it. */
        private static long rounds(String value) throws SettingsException {
            try {
                long n = Long.parseLong(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new SettingsException(value + ": invalid number of rounds");
        }

        private static LogCompression compression(String value) throws SettingsException {
            return switch (value) {
                case "none" -> LogCompression.NONE;
                case "gzip" -> LogCompression.GZIP;
                case "bzip2" -> LogCompression.BZIP2;
                default -> throw new SettingsException(value + ": unknown compression type");
            };
        }

        // guix-daemon's string_to_bool: yes/no, case-insensitively.
        private static boolean yesNo(String value) throws SettingsException {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw new SettingsException("'" + value + "': invalid Boolean value");
            };
        }
    }
}
