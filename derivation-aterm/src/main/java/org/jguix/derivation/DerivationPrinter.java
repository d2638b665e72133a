package org.jguix.derivation;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;

/**
 * Prints the ATerm text exactly as {@code derivations.cc:unparseDerivation} (and Guile's
 * {@code write-derivation}): no whitespace, no trailing newline, every string escaped by
 * {@code printString} — {@code "} → {@code \"}, {@code \} → {@code \\}, LF → {@code \n},
 * CR → {@code \r}, TAB → {@code \t}, every other byte raw (including bytes ≥ 0x80).
 */
public final class DerivationPrinter {
    private DerivationPrinter() {}

    /** The {@code .drv} bytes (ISO-8859-1: one byte per char). */
    public static byte[] print(Derivation drv) {
        return printString(drv).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The {@code .drv} text as an ISO-8859-1 string. */
    public static String printString(Derivation drv) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("Derive([");
        boolean first = true;
        for (Map.Entry<String, DerivationOutput> e : drv.outputs().entrySet()) {
            first = comma(sb, first);
            DerivationOutput o = e.getValue();
            sb.append('(');
            string(sb, e.getKey()).append(',');
            string(sb, o.path()).append(',');
            string(sb, o.hashAlgo()).append(',');
            string(sb, o.hash()).append(')');
        }
        sb.append("],[");
        first = true;
        for (Map.Entry<String, SortedSet<String>> e : drv.inputDrvs().entrySet()) {
            first = comma(sb, first);
            sb.append('(');
            string(sb, e.getKey()).append(',');
            strings(sb, e.getValue()).append(')');
        }
        sb.append("],");
        strings(sb, drv.inputSrcs()).append(',');
        string(sb, drv.platform()).append(',');
        string(sb, drv.builder()).append(',');
        strings(sb, drv.args()).append(",[");
        first = true;
        for (Map.Entry<String, String> e : drv.env().entrySet()) {
            first = comma(sb, first);
            sb.append('(');
            string(sb, e.getKey()).append(',');
            string(sb, e.getValue()).append(')');
        }
        return sb.append("])").toString();
    }

    private static boolean comma(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append(',');
        }
        return false;
    }

    private static StringBuilder strings(StringBuilder sb, Collection<String> values) {
        sb.append('[');
        boolean first = true;
        for (String v : values) {
            first = comma(sb, first);
            string(sb, v);
        }
        return sb.append(']');
    }

    /** {@code printString}. */
    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"');
    }
}
