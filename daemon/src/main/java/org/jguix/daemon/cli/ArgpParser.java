package org.jguix.daemon.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line the way GNU argp (getopt_long) does, so that jguix-daemon accepts and
 * rejects exactly what guix-daemon does: long options may be abbreviated to any unambiguous
 * prefix, an exact name beats a longer one it prefixes, mandatory arguments may follow as the
 * next word, optional arguments only after {@code =}, short options may be clustered
 * ({@code -c4}, {@code -Vc 4}), and {@code --} ends the options. The error texts are getopt's.
 * picocli is not used here because its abbreviation and optional-argument rules differ.
 */
public final class ArgpParser {
    /** An option as given, in command-line order; {@code value} is null when none was given. */
    public record Occurrence(ArgpOption option, String value) { }

    private final List<ArgpOption> options;

    public ArgpParser(List<ArgpOption> options) {
        this.options = List.copyOf(options);
    }

    /** Parses {@code args}; positional arguments are refused as "Too many arguments". */
    public List<Occurrence> parse(List<String> args) throws ArgpUsageException {
        List<Occurrence> out = new ArrayList<>();
        boolean positional = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!positional && arg.equals("--")) {
                positional = true;
            } else if (!positional && arg.startsWith("--")) {
                i = parseLong(args, i, out);
            } else if (!positional && arg.startsWith("-") && arg.length() > 1) {
                i = parseShort(args, i, out);
            } else {
                throw new ArgpUsageException("Too many arguments");
            }
        }
        return out;
    }

    private int parseLong(List<String> args, int i, List<Occurrence> out) throws ArgpUsageException {
        String body = args.get(i).substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String inline = eq < 0 ? null : body.substring(eq + 1);
        ArgpOption opt = lookupLong(name, args.get(i));
        switch (opt.argument()) {
            case NONE -> {
                if (inline != null) {
                    throw new ArgpUsageException("option '--" + opt.longName() + "' doesn't allow an argument");
                }
                out.add(new Occurrence(opt, null));
            }
            case OPTIONAL -> out.add(new Occurrence(opt, inline));
            case REQUIRED -> {
                if (inline != null) {
                    out.add(new Occurrence(opt, inline));
                } else if (i + 1 < args.size()) {
                    out.add(new Occurrence(opt, args.get(++i)));
                } else {
                    throw new ArgpUsageException("option '--" + opt.longName() + "' requires an argument");
                }
            }
        }
        return i;
    }

    private ArgpOption lookupLong(String name, String word) throws ArgpUsageException {
        List<ArgpOption> prefixMatches = new ArrayList<>();
        for (ArgpOption o : options) {
            if (o.longName().equals(name)) {
                return o;
            }
            if (!name.isEmpty() && o.longName().startsWith(name)) {
                prefixMatches.add(o);
            }
        }
        String given = word.split("=", 2)[0];
        if (prefixMatches.isEmpty()) {
            throw new ArgpUsageException("unrecognized option '" + given + "'");
        }
        if (prefixMatches.size() > 1) {
            StringBuilder msg = new StringBuilder("option '" + given + "' is ambiguous; possibilities:");
            prefixMatches.forEach(o -> msg.append(" '--").append(o.longName()).append('\''));
            throw new ArgpUsageException(msg.toString());
        }
        return prefixMatches.get(0);
    }

    private int parseShort(List<String> args, int i, List<Occurrence> out) throws ArgpUsageException {
        String cluster = args.get(i);
        for (int k = 1; k < cluster.length(); k++) {
            char c = cluster.charAt(k);
            ArgpOption opt = lookupShort(c);
            if (opt.argument() == ArgpOption.Argument.NONE) {
                out.add(new Occurrence(opt, null));
                continue;
            }
            String rest = cluster.substring(k + 1);
            if (!rest.isEmpty()) {
                out.add(new Occurrence(opt, rest));
            } else if (opt.argument() == ArgpOption.Argument.OPTIONAL) {
                out.add(new Occurrence(opt, null));
            } else if (i + 1 < args.size()) {
                out.add(new Occurrence(opt, args.get(++i)));
            } else {
                throw new ArgpUsageException("option requires an argument -- '" + c + "'");
            }
            return i;
        }
        return i;
    }

    private ArgpOption lookupShort(char c) throws ArgpUsageException {
        for (ArgpOption o : options) {
            if (o.shortName() == c) {
                return o;
            }
        }
        throw new ArgpUsageException("invalid option -- '" + c + "'");
    }
}
