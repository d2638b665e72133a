package org.jguix.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Examples from the spec §1 (RUN with {@code guix hash -S none -f nix-base32}) and properties. */
class NixBase32Test {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void specExamples() {
        assertEquals("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", Hash.sha256(new byte[0]).toNixBase32());
        assertEquals("1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s", Hash.sha256(ascii("abc")).toNixBase32());
        assertEquals("kpcd173cq987hw957sx6m0868wv3x6d9", Hash.digest(HashAlgorithm.SHA1, ascii("abc")).toNixBase32());
        assertEquals("3jgzhjhz9zjvbb0kyj7jc500ch", Hash.digest(HashAlgorithm.MD5, ascii("abc")).toNixBase32());
        byte[] one = new byte[20];
        one[0] = 1;
        assertEquals("00000000000000000000000000000001", NixBase32.encode(one));
        byte[] top = new byte[20];
        top[19] = (byte) 0x80;
        assertEquals("h0000000000000000000000000000000", NixBase32.encode(top));
    }

    @Test
    void compressHashSpecExample() {
        assertEquals("2c6f6c233b11308bb34155735dae2223b00361a3",
                HexFormat.of().formatHex(Hash.sha256(ascii("abc")).compress(20)));
    }

    @Test
    void decodeRejectsWithTypedErrors() {
        InvalidHashException len = assertThrows(InvalidHashException.class, () -> NixBase32.decode("0000", 20));
        assertEquals("nix-base32 string `0000': length 4 (expected 32 for 20 bytes)", len.getMessage());
        InvalidHashException chr = assertThrows(InvalidHashException.class,
                () -> NixBase32.decode("0000000000000000000000000000000e", 20));
        assertEquals("nix-base32 string `0000000000000000000000000000000e': invalid character `e' at position 31",
                chr.getMessage());
        // sha256: 52 digits carry 260 bits; the first digit may only be 0 or 1.
        assertThrows(InvalidHashException.class,
                () -> NixBase32.decode("2" + "0".repeat(51), 32));
        // md5: first digit 0-7.
        assertThrows(InvalidHashException.class, () -> NixBase32.decode("8" + "0".repeat(25), 16));
        assertThrows(InvalidHashException.class, () -> NixBase32.decode("\u00e9" + "0".repeat(31), 20));
    }

    @Test
    void decodeAcceptsTheLargestCanonicalStrings() throws InvalidHashException {
        assertArrayEquals(new byte[32], NixBase32.decode("0".repeat(52), 32));
        byte[] ff = new byte[32];
        java.util.Arrays.fill(ff, (byte) 0xff);
        assertEquals(ff.length, NixBase32.decode(NixBase32.encode(ff), 32).length);
        assertEquals('1', NixBase32.encode(ff).charAt(0));
    }

    @Provide
    Arbitrary<byte[]> hashes() {
        return Arbitraries.of(16, 20, 32, 64).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    }

    @Property(tries = 500)
    void roundTrip(@ForAll("hashes") byte[] h) throws InvalidHashException {
        String s = NixBase32.encode(h);
        assertEquals(NixBase32.encodedLength(h.length), s.length());
        assertArrayEquals(h, NixBase32.decode(s, h.length));
    }

    /** Arbitrary strings: decoded and re-encoded identically, or a typed error. */
    @Property(tries = 1000)
    void decodeIsTotalAndCanonical(@ForAll String s, @ForAll @IntRange(min = 0, max = 64) int size) {
        try {
            byte[] b = NixBase32.decode(s, size);
            assertEquals(s, NixBase32.encode(b));
        } catch (InvalidHashException expected) {
            // typed
        }
    }

    @Property(tries = 500)
    void decodeIsTotalOnAlphabetStrings(@ForAll("alphabetStrings") String s) {
        try {
            assertEquals(s, NixBase32.encode(NixBase32.decode(s, 32)));
        } catch (InvalidHashException expected) {
            // typed
        }
    }

    @Provide
    Arbitrary<String> alphabetStrings() {
        return Arbitraries.strings().withChars(NixBase32.ALPHABET.toCharArray()).ofMinLength(50).ofMaxLength(54);
    }
}
