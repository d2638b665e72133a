package org.jguix.store.optimise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * {@code misc.cc:showBytes}, the sizes in GC and optimise messages: {@code "%4d  bytes"} up to 1 KiB,
 * else two decimals and a binary unit, right-aligned in 7 columns ({@code "   1.19 KiB"}).
 *
 * <p>guix-daemon 1.5.0 writes its unit tests as {@code llabs(bytes > exp2l(N))}, the absolute value
 * of a comparison: a negative size never takes a unit ({@code "-4096  bytes"}, as "note: currently
 * hard linking saves -4096  bytes" shows). The division by a power of two is exact, and
 * {@code std::format} rounds that exact value half to even, which {@link BigDecimal} reproduces.
 */
public final class ShowBytes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ShowBytes() {
    }

    public static String of(long bytes) {
        for (int i = UNITS.length - 1; i >= 0; i--) {
            int shift = 10 * (i + 1);
            if (bytes > (1L << shift)) {
                BigDecimal v = new BigDecimal(bytes).divide(new BigDecimal(BigInteger.ONE.shiftLeft(shift)));
                return pad(v.setScale(2, RoundingMode.HALF_EVEN).toPlainString(), 7) + " " + UNITS[i];
            }
        }
        return pad(Long.toString(bytes), 4) + "  bytes";
    }

    /** {@code %Ns}, right-aligned: {@code String.format} was a tenth of a collection's CPU. */
    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
