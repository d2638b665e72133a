package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session tests as byte transcripts (style point 24): the client bytes the real Guix 1.5.0 client
 * sent to the real guix-daemon 1.5.0 ({@code fixtures/wire/NAME.c2d}) are replayed against a jguix
 * session over a fresh temporary store prepared as the generator's set-up connection prepared the
 * real one; what jguix sends back must equal {@code NAME.d2c} byte for byte. The store paths are
 * identical because the contents are. Variable fields, each named where it is handled:
 *
 * <ul>
 * <li>registration times (query-path-info): the test clock is the fixture's time, so none remain;</li>
 * <li>valid-paths: the QueryAllValidPaths list depends on the scripts that ran before in the
 *     generator's store; it is replaced by the items this test prepared;</li>
 * <li>roots: FindRoots names the user's symlink by its file name on this machine, which here lies
 *     below the temporary root;</li>
 * <li>signatures (export-path, import-paths): the generator's key was fresh, so no agent here can
 *     make its signatures; the {@link FakeAuthenticator} answers ExportPath's {@code sign} with the
 *     signature recorded in the transcript (found by the hash it signs, which is thus checked) and
 *     ImportPaths' {@code verify} with the hash the transcript's signature signs, which jguix compares
 *     with the hash of what it read.</li>
 * </ul>
 *
 * Transcripts that cannot be replayed byte for byte are listed in {@link #NOT_YET}.
 */
class TranscriptSessionTest {
    static final Path DIR = Path.of("..", "fixtures", "wire");

    /**
     * Not replayed: builds (they need the sandbox; see the build scenarios), and maintenance, whose GC
     * reply lists what the generator's earlier scripts left in its store and whose messages name
     * guix-daemon's own temp-roots file as stale (its fcntl quirk, which jguix does not reproduce; see
     * GcSessionTest and the gc scenarios).
     */
    static final Set<String> NOT_YET = Set.of("build-paths", "build-paths-failure", "maintenance");

    @TempDir
    Path tmp;

    static Stream<String> transcripts() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c2d"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> !NOT_YET.contains(n)).sorted().toList();
            assertTrue(names.size() >= 20, "expected the generated transcripts in " + DIR);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void replay(String name) throws IOException {
        byte[] c2d = Files.readAllBytes(DIR.resolve(name + ".c2d"));
        byte[] expected = Files.readAllBytes(DIR.resolve(name + ".d2c"));
        try (TestDaemon d = new TestDaemon(tmp)) {
            prepare(name, d);
            byte[] actual = d.replay(c2d);
            switch (name) {
                case "valid-paths" -> expected = withAllValidPaths(expected, d);
                case "roots" -> actual = replaceString(actual, tmp.resolve("tmp/myroot").toString(), "/tmp/myroot");
                default -> { }
            }
            assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual), name);
        }
    }

    /** What the generator's set-up connection had put in the store before each recorded session. */
    static void prepare(String name, TestDaemon d) throws IOException {
        if (name.startsWith("bad-magic") || name.equals("handshake")) {
            return;
        }
        String[] helloRef = d.addHelloAndRef();
        switch (name) {
            // add-text-to-store ran before it in the generator's store and added b.txt, a referrer.
            case "query-references" -> d.addText("b.txt", "beta\n", helloRef[0]);
            case "derivation-queries" -> DerivationFixture.prepare(d);
            case "export-path" -> d.authenticator.record(signatureIn(Files.readAllBytes(DIR.resolve(name + ".d2c"))));
            case "roots" -> {
                Path link = d.root.resolve("tmp/myroot");
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of(helloRef[1]));
            }
            default -> { }
        }
    }

    @Test
    void everyTranscriptIsReplayedOrNamedAsNotYetServed() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            long all = files.filter(p -> p.toString().endsWith(".c2d")).count();
            assertEquals(all, transcripts().count() + NOT_YET.size());
        }
    }

    /** The valid-paths transcript with its first reply (QueryAllValidPaths) replaced by our store's list. */
    static byte[] withAllValidPaths(byte[] d2c, TestDaemon d) throws IOException {
        int at = 16 + 8 + 8; // greeting, handshake LAST, the op's LAST
        WireReader in = new WireReader(new ByteArrayInputStream(d2c, at, d2c.length - at));
        in.readStrings("all");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d2c, 0, at);
        WireWriter w = new WireWriter(out);
        w.writeStrings(new TreeSet<>(d.store.db().queryAllValidPaths()));
        w.flush();
        out.write(d2c, at + (int) in.offset(), d2c.length - at - (int) in.offset());
        return out.toByteArray();
    }

    /** The first wire string starting with {@code (signature } in {@code bytes}: an agent's signature. */
    static byte[] signatureIn(byte[] bytes) {
        byte[] start = "(signature ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 8; i + start.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + start.length, start, 0, start.length)) {
                int len = (int) java.nio.ByteBuffer.wrap(bytes, i - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getLong();
                return java.util.Arrays.copyOfRange(bytes, i, i + len);
            }
        }
        throw new IllegalArgumentException("no signature in the transcript");
    }

    /** Replaces every wire string {@code from} (length, bytes, padding) by {@code to}. */
    static byte[] replaceString(byte[] data, String from, String to) throws IOException {
        byte[] f = encode(from);
        byte[] t = encode(to);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < data.length; ) {
            if (i + f.length <= data.length && java.util.Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                out.write(t);
                i += f.length;
            } else {
                out.write(data[i++]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] encode(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireWriter w = new WireWriter(out);
        w.writeString(s);
        w.flush();
        return out.toByteArray();
    }

    /** The built derivation "queried" of fixtures/wire/derivation-queries, rebuilt without a build. */
    static final class DerivationFixture {
        static final String BBDIR = "/gnu/store/xmp6j4cpwl0p1cb1i5w4x3id9kwpiy77-bbdir";
        static final String OUT = "/gnu/store/jahh1hddkgfmfdhfqd1v5y9arjywqwpp-queried";
        static final String DRV = "/gnu/store/k500vh5ddw4dngpvw2bx4lk4jdsw91rl-queried.drv";

        static void prepare(TestDaemon d) throws IOException {
            // bash-static cannot be reproduced here; its path only has to be valid as an input source.
            d.addOpaque(BBDIR, "stand-in for bash-static\n", Optional.empty());
            String text = "Derive([(\"out\",\"" + OUT + "\",\"\",\"\")],[],[\"" + BBDIR + "\"],\"x86_64-linux\",\""
                    + BBDIR + "/sh\",[\"-c\",\"echo hi > $out\"],[(\"out\",\"" + OUT + "\")])";
            String drv = d.addText("queried.drv", text, BBDIR);
            assertEquals(DRV, drv, "the .drv text is the one Guile wrote");
            assertEquals(Map.of("out", OUT), d.store.db().queryDerivationOutputMap(DRV));
            d.addOpaque(OUT, "hi\n", Optional.of(DRV));
        }
    }
}
