package org.jguix.nar;

import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Finds which candidate store-path hash parts (32 nix-base32 characters, as ASCII bytes) occur anywhere
 * in the bytes written to it (guix {@code references.cc:RefScanSink}). The daemon writes the NAR of a
 * build output into it, so hashes in file contents, names and symlink targets all count.
 *
 * <p>Speed comes from guix's observation that a hash can only sit in a run of 32 base32 characters:
 * each 32-byte window is checked from its end, and a non-base32 byte at position j lets the scan jump
 * past j at once; only all-base32 windows are looked up, in an open-addressing table keyed by a hash of
 * the window's four little-endian longs. The last 31 bytes of each write are kept and re-scanned with
 * the start of the next, so matches spanning writes are found. Mutable and single-use, like any stream.
 */
public final class ReferenceScanner extends OutputStream {
    /** Length of a store path's hash part. */
    public static final int HASH_LENGTH = 32;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final boolean[] BASE32 = new boolean[256];

    static {
        for (char c : "0123456789abcdfghijklmnpqrsvwxyz".toCharArray()) {
            BASE32[c] = true;
        }
    }

    private final byte[][] candidates;
    private final long[] keys;
    /** Slot → candidate index + 1; 0 = empty. */
    private final int[] table;
    private final int mask;
    private final boolean[] found;
    private int foundCount;
    /** The last ≤ 31 bytes seen, followed by room for the first ≤ 31 bytes of the next write. */
    private final byte[] seam = new byte[2 * (HASH_LENGTH - 1)];
    private int tailLength;

    /** @param hashParts the candidates, each exactly 32 bytes (duplicates are allowed) */
    public ReferenceScanner(Collection<byte[]> hashParts) {
        candidates = new byte[hashParts.size()][];
        keys = new long[candidates.length];
        int slots = Integer.highestOneBit(Math.max(4, candidates.length * 3)) << 1;
        table = new int[slots];
        mask = slots - 1;
        found = new boolean[candidates.length];
        int i = 0;
        for (byte[] h : hashParts) {
            if (h.length != HASH_LENGTH) {
                throw new IllegalArgumentException("hash part of length " + h.length + " (expected 32)");
            }
            candidates[i] = h.clone();
            keys[i] = key(candidates[i], 0);
            int slot = slot(keys[i]);
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
            i++;
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (foundCount == candidates.length || len == 0) {
            return;
        }
        int head = Math.min(len, HASH_LENGTH - 1);
        System.arraycopy(b, off, seam, tailLength, head);
        if (tailLength > 0) {
            scan(seam, 0, tailLength + head);
        }
        scan(b, off, off + len);
        if (len >= HASH_LENGTH - 1) {
            System.arraycopy(b, off + len - (HASH_LENGTH - 1), seam, 0, HASH_LENGTH - 1);
            tailLength = HASH_LENGTH - 1;
        } else {
            int total = tailLength + len;
            int keep = Math.min(total, HASH_LENGTH - 1);
            System.arraycopy(seam, total - keep, seam, 0, keep);
            tailLength = keep;
        }
    }

    /** The candidates seen so far, in the order they were given (copies). */
    public List<byte[]> found() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < candidates.length; i++) {
            if (found[i]) {
                out.add(candidates[i].clone());
            }
        }
        return out;
    }

    /** Whether the {@code index}-th candidate (in the order given) has been seen. */
    public boolean isFound(int index) {
        return found[index];
    }

    private void scan(byte[] buf, int from, int to) {
        int last = to - HASH_LENGTH; // start of the last full window
        int i = from;
        while (i <= last) {
            int j = i + HASH_LENGTH - 1;
            while (j >= i && BASE32[buf[j] & 0xff]) {
                j--;
            }
            if (j >= i) {
                i = j + 1;
                continue;
            }
            lookup(buf, i);
            // While the byte after the window is base32 the next window is all base32 too.
            while (i < last && BASE32[buf[i + HASH_LENGTH] & 0xff]) {
                i++;
                lookup(buf, i);
            }
            i += HASH_LENGTH + 1;
        }
    }

    private void lookup(byte[] buf, int at) {
        long k = key(buf, at);
        for (int slot = slot(k); table[slot] != 0; slot = (slot + 1) & mask) {
            int c = table[slot] - 1;
            if (keys[c] == k && !found[c]
                    && Arrays.equals(candidates[c], 0, HASH_LENGTH, buf, at, at + HASH_LENGTH)) {
                found[c] = true;
                foundCount++;
            }
        }
    }

    private static long key(byte[] b, int at) {
        long h = (long) LONGS.get(b, at);
        h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(b, at + 8);
        h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(b, at + 16);
        h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(b, at + 24);
        return h ^ (h >>> 29);
    }

    private int slot(long k) {
        return (int) (k ^ (k >>> 32)) & mask;
    }
}
