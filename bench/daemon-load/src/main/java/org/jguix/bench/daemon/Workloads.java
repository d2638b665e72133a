package org.jguix.bench.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jguix.wire.ByteString;
import org.jguix.wire.Operation;
import org.jguix.wire.Reply;
import org.jguix.wire.Request;

/**
 * The work, identical for every daemon and fully determined by its parameters: what is added
 * and asked depends only on indices and fixed seeds, so two daemons that behave alike give the
 * same answers, summarised as a SHA-256 digest per phase ("verify"). Registration times, the
 * one thing that legitimately differs, are left out of the digests.
 */
final class Workloads {
    /** The nix-base32 alphabet, for syntactically valid store paths that are not in the store. */
    private static final String BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";
    /** The name part of {@link #missing} paths. */
    static final String MISSING_SUFFIX = "-bench-missing";

    private final Path socket;
    private final String storeDir;

    /** The outcome of one phase: wall time, a digest of the answers, and a note. */
    record Outcome(double seconds, String digest, String note) {
    }

    /** The daemon's socket. */
    Path socket() {
        return socket;
    }

    /** The same work against another socket. */
    Workloads at(Path other) {
        return new Workloads(other, storeDir);
    }

    Workloads(Path socket, String storeDir) {
        this.socket = socket;
        this.storeDir = storeDir;
    }

    /**
     * {@code n} AddTextToStore on one connection, distinct contents of 256–3,255 bytes (the size of
     * typical {@code .drv} and builder files), item {@code i} referring to items {@code i-1} and
     * {@code i/2}. Returns the paths in {@code paths}.
     */
    Outcome addText(String tag, int n, List<String> paths) throws IOException {
        try (Connection c = Connection.open(socket)) {
            MessageDigest md = sha256();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                List<String> refs = new ArrayList<>();
                if (i > 0) {
                    refs.add(paths.get(paths.size() - 1));
                }
                if (i > 1 && i / 2 != i - 1) {
                    refs.add(paths.get(paths.size() - i + i / 2));
                }
                String p = c.call(Operation.ADD_TEXT_TO_STORE, new Request.AddTextToStore(
                        "bench-" + tag + "-" + i, text(tag + " " + i, 256 + (i * 997) % 3000), refs));
                paths.add(p);
                md.update((p + "\n").getBytes(StandardCharsets.UTF_8));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Outcome(secs, hex(md), "items=" + n);
        }
    }

    /**
     * {@code n} IsValidPath on one connection, alternating a path of {@code valid} and a
     * well-formed path that is not in the store; every answer is checked.
     */
    Outcome validPath(int n, List<String> valid) throws IOException {
        List<String> queries = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            queries.add(k % 2 == 0 ? valid.get((k / 2) % valid.size()) : missing(k));
        }
        try (Connection c = Connection.open(socket)) {
            MessageDigest md = sha256();
            long t0 = System.nanoTime();
            int yes = 0;
            for (int k = 0; k < n; k++) {
                boolean v = c.call(Operation.IS_VALID_PATH, new Request.IsValidPath(queries.get(k)));
                if (v != (k % 2 == 0)) {
                    throw new IOException("valid-path? " + queries.get(k) + " answered " + v);
                }
                yes += v ? 1 : 0;
                md.update((byte) (v ? 1 : 0));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Outcome(secs, hex(md), "valid=" + yes);
        }
    }

    /**
     * {@code clients} connections at once, each opening, handshaking and sending {@code perClient}
     * operations drawn with its own seed: 30% IsValidPath (half valid), 25% QueryPathInfo, 20%
     * QueryReferences, 15% QueryPathFromHashPart (half unknown), 10% AddTextToStore of new text
     * referring to one path of {@code valid}. Queries only touch {@code valid}, so answers do
     * not depend on how the clients interleave. Timed from the start signal to the last reply.
     */
    Outcome mixed(int clients, int perClient, List<String> valid) throws IOException, InterruptedException {
        byte[][] digests = new byte[clients][];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().name("client " + i).start(() -> {
                try {
                    ready.countDown();
                    go.await();
                    digests[client] = mixedClient(client, perClient, valid);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IOException("mixed load: " + failure.get(), failure.get());
        }
        MessageDigest md = sha256();
        for (byte[] d : digests) {
            md.update(d);
        }
        return new Outcome(secs, hex(md), "clients=" + clients + " per-client=" + perClient);
    }

    private byte[] mixedClient(int client, int n, List<String> valid) throws IOException {
        SplittableRandom r = new SplittableRandom(1000 + client);
        MessageDigest md = sha256();
        try (Connection c = Connection.open(socket)) {
            for (int j = 0; j < n; j++) {
                int pick = r.nextInt(100);
                String path = valid.get(r.nextInt(valid.size()));
                String answer;
                if (pick < 30) {
                    String q = r.nextBoolean() ? path : missing(client * 100_000 + j);
                    answer = "valid " + c.call(Operation.IS_VALID_PATH, new Request.IsValidPath(q));
                } else if (pick < 55) {
                    Reply.PathInfo info = c.call(Operation.QUERY_PATH_INFO, new Request.QueryPathInfo(path));
                    answer = "info " + info.deriver() + " " + info.narHash() + " " + info.references() + " "
                            + info.narSize();
                } else if (pick < 75) {
                    answer = "refs " + c.call(Operation.QUERY_REFERENCES, new Request.QueryReferences(path));
                } else if (pick < 90) {
                    String part = r.nextBoolean() ? path.substring(storeDir.length() + 1, storeDir.length() + 33)
                            : missing(client * 100_000 + j).substring(storeDir.length() + 1, storeDir.length() + 33);
                    answer = "hash-part " + c.call(Operation.QUERY_PATH_FROM_HASH_PART,
                            new Request.QueryPathFromHashPart(part));
                } else {
                    answer = "add " + c.call(Operation.ADD_TEXT_TO_STORE, new Request.AddTextToStore(
                            "bench-mixed-" + client + "-" + j, text("mixed " + client + " " + j, 200 + r.nextInt(2000)),
                            List.of(path)));
                }
                md.update((answer + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return md.digest();
    }

    /** {@code len} bytes of printable text starting with {@code label}, determined by it. */
    static ByteString text(String label, int len) {
        StringBuilder sb = new StringBuilder(len).append(label).append('\n');
        SplittableRandom r = new SplittableRandom(label.hashCode());
        while (sb.length() < len) {
            sb.append((char) (r.nextInt(10) == 0 ? '\n' : ' ' + r.nextInt(95)));
        }
        sb.setLength(len);
        return ByteString.utf8(sb.toString());
    }

    /** A well-formed store path that no workload adds. */
    String missing(int k) {
        return fakePath(k, MISSING_SUFFIX);
    }

    /** A well-formed store path, determined by {@code k} and {@code suffix}. */
    String fakePath(int k, String suffix) {
        SplittableRandom r = new SplittableRandom(0x5eed_0000L + k);
        StringBuilder sb = new StringBuilder(storeDir).append('/');
        for (int i = 0; i < 32; i++) {
            sb.append(BASE32.charAt(r.nextInt(32)));
        }
        return sb.append(suffix).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }
}
