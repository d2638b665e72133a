package org.jguix.store.transfer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.nar.NarHasher;
import org.jguix.nar.NarReader;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.DerivationOutputsReader;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreWriter;
import org.jguix.wire.WireReader;

/** Test support: temporary stores, the fixtures of fixtures/transfer/, export-stream surgery. */
final class TransferTestSupport {
    static final Path MAIN = Path.of(System.getProperty("user.dir")).getParent();
    static final Path FIXTURES = MAIN.resolve("fixtures/transfer");
    static final String HELLO = "/gnu/store/3qfa38x5ns7r5wn2mjnd2vnrsj1wircv-hello.txt";
    static final String REF = "/gnu/store/8q6kwaijra99ckjgmgb9kdlli3b7g8dw-ref.txt";
    static final String HELLO_TEXT = "hello world\n";
    static final String REF_TEXT = "see " + HELLO + "\n";

    private TransferTestSupport() {
    }

    static final DerivationOutputsReader DRV_OUTPUTS = drv -> {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(drv)) {
            for (Map.Entry<String, DerivationOutput> e : new DerivationParser().read(in).outputs().entrySet()) {
                out.put(e.getKey(), e.getValue().path());
            }
        }
        return out;
    };

    /** A store below a temporary root, with its writer. */
    record Store(StoreDatabase db, StoreWriter writer, StoreLayout layout) implements AutoCloseable {
        static Store open(Path root) throws IOException {
            StoreLayout layout = StoreLayout.under(root);
            StoreDatabase db = StoreDatabase.open(layout,
                    StoreDatabase.Options.defaults(DRV_OUTPUTS).withIgnoreSymlinkStore(true));
            StoreCanonicaliser c = new StoreCanonicaliser((Integer) Files.getAttribute(root, "unix:uid"),
                    (Integer) Files.getAttribute(root, "unix:gid"));
            return new Store(db, new StoreWriter(db, c, null), layout);
        }

        void addText(String path, String content, String... refs) throws IOException {
            writer.add(path, t -> Files.writeString(t, content), List.of(refs), java.util.Optional.empty(), null);
        }

        /** Store directory entries other than the items and their lock files (temporaries). */
        List<String> strayEntries() throws IOException {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.storeDirectory())) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && !n.equals(".links")) {
                        out.add(n);
                    }
                }
            }
            return out;
        }

        String narHex(String path) throws IOException {
            return NarHasher.hashPath(layout.file(path), "sha256").hex();
        }

        @Override
        public void close() throws IOException {
            db.close();
        }
    }

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    /** The Ed25519 "q" of fixtures/transfer/signing-key.pub, as the signatures print it. */
    static String fixtureKeyQ() throws IOException {
        Matcher m = Pattern.compile("\\(q #([0-9A-F]+)#\\)").matcher(Files.readString(FIXTURES.resolve("signing-key.pub")));
        if (!m.find()) {
            throw new IOException("no q in signing-key.pub");
        }
        return m.group(1);
    }

    /**
     * One item of an export stream, located: {@code [start, trailerEnd)} is what the signature's hash
     * covers (NAR to deriver), {@code [start, end)} the whole item; offsets are into the stream.
     */
    record Item(int start, int narEnd, int trailerEnd, int end, String path, List<String> references,
            String deriver, byte[] signature, String hashHex) {
    }

    /** Splits an export stream ({@code u64 1} item … {@code u64 0}) as the daemon reads it. */
    static List<Item> items(byte[] stream) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        WireReader w = new WireReader(in);
        List<Item> items = new ArrayList<>();
        while (w.readU64("marker") == 1) {
            int start = stream.length - in.available();
            items.add(item(stream, start));
            in.skip(items.getLast().end() - (stream.length - in.available()));
        }
        return items;
    }

    /** The item starting at {@code start} (its NAR's first byte), up to the end of its signature part. */
    static Item item(byte[] stream, int start) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(stream, start, stream.length - start);
        NarReader nar = new NarReader(in);
        while (nar.next() != null) {
            // skip through
        }
        int narEnd = start + (int) nar.offset();
        WireReader w = new WireReader(in);
        w.readInt("magic");
        String path = w.readString("path");
        List<String> refs = w.readStrings("refs");
        String deriver = w.readString("deriver");
        int trailerEnd = stream.length - in.available();
        byte[] sig = w.readInt("hasSig") == 1 ? w.readBytes("sig").toByteArray() : null;
        int end = stream.length - in.available();
        return new Item(start, narEnd, trailerEnd, end, path, refs, deriver, sig,
                hex(sha256(Arrays.copyOfRange(stream, start, trailerEnd))));
    }

    static byte[] sha256(byte[] b) {
        MessageDigest d = NarHasher.messageDigest("sha256");
        return d.digest(b);
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** A serialised string: length, bytes, padding. */
    static byte[] str(byte[] s) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(u64(s.length));
        o.writeBytes(s);
        o.writeBytes(new byte[(8 - s.length % 8) % 8]);
        return o.toByteArray();
    }

    static byte[] str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A stream of one item: {@code u64 1}, the item's bytes, {@code u64 0}. */
    static byte[] framed(byte[]... items) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] i : items) {
            o.writeBytes(u64(1));
            o.writeBytes(i);
        }
        o.writeBytes(u64(0));
        return o.toByteArray();
    }
}
