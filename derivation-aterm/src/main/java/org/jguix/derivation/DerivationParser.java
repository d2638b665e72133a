package org.jguix.derivation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.hash.InvalidHashException;
import org.jguix.storepath.ByteOrder;

/**
 * A strict, total parser of the ATerm {@code .drv} text (grammar in {@code package-info}).
 *
 * <p>It accepts exactly what {@link DerivationPrinter} prints, so that
 * {@code print(parse(bytes))} equals {@code bytes}: commas required, no whitespace, only
 * the five escapes {@code printString} writes, no raw LF/CR/TAB or NUL inside strings,
 * collections byte-wise sorted without duplicates, nothing after the final {@code )}.
 * {@code derivations.cc:parseDerivation} is laxer (any {@code \X}, missing commas, last
 * duplicate wins, trailing bytes ignored) and never ends on EOF inside a string; we fail.
 * Paths must be non-empty and absolute, as {@code parsePath} demands, and fixed-output
 * fields must parse as {@code parseHashInfo} would (hash in lowercase base16).
 *
 * <p>Immutable and thread-safe: it holds only its size limit.
 */
public final class DerivationParser {
    /** Default limit on the size of a {@code .drv}: far above any real one. */
    public static final int DEFAULT_MAX_SIZE = 64 << 20;

    private final int maxSize;

    public DerivationParser() {
        this(DEFAULT_MAX_SIZE);
    }

    /** A parser refusing inputs longer than {@code maxSize} bytes. */
    public DerivationParser(int maxSize) {
        if (maxSize < 0 || maxSize == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected 0 to " + (Integer.MAX_VALUE - 1) + ")");
        }
        this.maxSize = maxSize;
    }

    /** Parses a whole {@code .drv}. Only {@link DerivationParseException}s escape. */
    public Derivation parse(byte[] bytes) throws DerivationParseException {
        if (bytes.length > maxSize) {
            throw new DerivationParseException(maxSize, "derivation size: " + bytes.length + " (expected ≤ " + maxSize + ")");
        }
        return new Cursor(bytes).derivation();
    }

    /** Reads {@code in} to its end (at most the size limit) and parses it. */
    public Derivation read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(maxSize + 1);
        return parse(bytes);
    }

    /** One parse: position over the input. */
    private static final class Cursor {
        private final byte[] in;
        private int pos;

        Cursor(byte[] in) {
            this.in = in;
        }

        Derivation derivation() throws DerivationParseException {
            expect("Derive(");
            Map<String, DerivationOutput> outputs = new LinkedHashMap<>();
            Sorted outputOrder = new Sorted("outputs");
            list(() -> {
                expect("(");
                int at = pos;
                String id = string();
                outputOrder.add(id, at);
                expect(",");
                String path = path();
                expect(",");
                int algoAt = pos;
                String algo = string();
                expect(",");
                String hash = string();
                expect(")");
                outputs.put(id, checkedOutput(new DerivationOutput(path, algo, hash), algoAt));
            });
            expect(",");
            Map<String, Set<String>> inputDrvs = new LinkedHashMap<>();
            Sorted inputOrder = new Sorted("input derivations");
            list(() -> {
                expect("(");
                int at = pos;
                String drv = path();
                inputOrder.add(drv, at);
                expect(",");
                Set<String> ids = new LinkedHashSet<>();
                Sorted idOrder = new Sorted("outputs of input derivation `" + drv + "'");
                list(() -> {
                    int idAt = pos;
                    String id = string();
                    idOrder.add(id, idAt);
                    ids.add(id);
                });
                expect(")");
                inputDrvs.put(drv, ids);
            });
            expect(",");
            Set<String> srcs = new LinkedHashSet<>();
            Sorted srcOrder = new Sorted("input sources");
            list(() -> {
                int at = pos;
                String src = path();
                srcOrder.add(src, at);
                srcs.add(src);
            });
            expect(",");
            String platform = string();
            expect(",");
            String builder = string();
            expect(",");
            List<String> args = new ArrayList<>();
            list(() -> args.add(string()));
            expect(",");
            Map<String, String> env = new LinkedHashMap<>();
            Sorted envOrder = new Sorted("environment");
            list(() -> {
                expect("(");
                int at = pos;
                String name = string();
                envOrder.add(name, at);
                expect(",");
                env.put(name, string());
                expect(")");
            });
            expect(")");
            if (pos < in.length) {
                throw new DerivationParseException(pos, "expected end of input but found " + describe(pos));
            }
            try {
                return Derivation.of(outputs, inputDrvs, srcs, platform, builder, args, env);
            } catch (InvalidDerivationException e) {
                // Unreachable: strings are bytes and NUL-free by construction here.
                throw new DerivationParseException(0, e.getMessage());
            }
        }

        private DerivationOutput checkedOutput(DerivationOutput o, int at) throws DerivationParseException {
            if (o.hasHash()) {
                try {
                    o.fixedOutputHash();
                } catch (InvalidHashException e) {
                    throw new DerivationParseException(at, e.getMessage());
                }
            } else if (!o.hashAlgo().isEmpty()) {
                throw new DerivationParseException(at, "hash algorithm `" + o.hashAlgo()
                        + "' without a hash (expected both or neither)");
            }
            return o;
        }

        private interface Element {
            void parse() throws DerivationParseException;
        }

        /** {@code [E,E,…]}; unlike {@code endOfList}, commas are required and only between elements. */
        private void list(Element element) throws DerivationParseException {
            expect("[");
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                element.parse();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                expect(",");
            }
        }

        /** {@code parsePath}: a string that is non-empty and starts with {@code /}. */
        private String path() throws DerivationParseException {
            int at = pos;
            String s = string();
            if (s.isEmpty() || s.charAt(0) != '/') {
                throw new DerivationParseException(at, "bad path `" + s + "' in derivation");
            }
            return s;
        }

        /** {@code parseString}, restricted to what {@code printString} writes. */
        private String string() throws DerivationParseException {
            expect("\"");
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= in.length) {
                    throw new DerivationTruncatedException(pos, "expected `\"' but found end of input (unterminated string)");
                }
                int c = in[pos] & 0xff;
                switch (c) {
                    case '"' -> {
                        pos++;
                        return sb.toString();
                    }
                    case '\\' -> {
                        if (pos + 1 >= in.length) {
                            throw new DerivationTruncatedException(pos + 1, "expected an escaped character but found end of input");
                        }
                        int e = in[pos + 1] & 0xff;
                        switch (e) {
                            case '"', '\\' -> sb.append((char) e);
                            case 'n' -> sb.append('\n');
                            case 'r' -> sb.append('\r');
                            case 't' -> sb.append('\t');
                            default -> throw new DerivationParseException(pos + 1, "expected one of `\"', `\\', `n', `r', `t'"
                                    + " after `\\' but found " + describe(pos + 1));
                        }
                        pos += 2;
                    }
                    case 0 -> throw new DerivationParseException(pos, "NUL byte in string (guix-daemon would truncate it)");
                    case '\n', '\r', '\t' -> throw new DerivationParseException(pos, "raw " + describe(pos)
                            + " in string (guix writes it escaped)");
                    default -> {
                        sb.append((char) c);
                        pos++;
                    }
                }
            }
        }

        private void expect(String literal) throws DerivationParseException {
            for (int i = 0; i < literal.length(); i++) {
                if (pos >= in.length) {
                    throw new DerivationTruncatedException(pos, "expected `" + literal + "' but found end of input");
                }
                if ((in[pos] & 0xff) != literal.charAt(i)) {
                    throw new DerivationParseException(pos, "expected `" + literal + "' but found " + describe(pos));
                }
                pos++;
            }
        }

        private int peek() {
            return pos < in.length ? in[pos] & 0xff : -1;
        }

        private String describe(int at) {
            if (at >= in.length) {
                return "end of input";
            }
            int c = in[at] & 0xff;
            return c > 0x20 && c < 0x7f ? "`" + (char) c + "'" : String.format("byte 0x%02x", c);
        }

        /** Checks strictly ascending byte order of keys as they are read. */
        private static final class Sorted {
            private final String what;
            private String previous;

            Sorted(String what) {
                this.what = what;
            }

            void add(String key, int at) throws DerivationParseException {
                if (previous != null) {
                    int c = ByteOrder.compare(previous, key);
                    if (c == 0) {
                        throw new DerivationParseException(at, what + ": duplicate `" + key + "'");
                    }
                    if (c > 0) {
                        throw new DerivationParseException(at, what + ": `" + key + "' after `" + previous
                                + "' (expected byte-wise ascending order)");
                    }
                }
                previous = key;
            }
        }
    }
}
