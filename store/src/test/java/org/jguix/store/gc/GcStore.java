package org.jguix.store.gc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jguix.hash.Hash;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.DerivationOutputsReader;
import org.jguix.store.GcLock;
import org.jguix.store.GcRoots;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.StoreWriter;
import org.jguix.store.TempRoots;
import org.jguix.store.optimise.Links;
import org.jguix.store.optimise.Optimiser;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePaths;

/**
 * Test support: a store under a temporary root with logical store {@code /gnu/store}, its writer
 * (deduplicating, like the daemon's default), temp roots, permanent roots and a collector that sees
 * an empty {@code /proc} unless told otherwise. Derivations are stand-ins whose content lists their
 * outputs as {@code name=path} lines (the collector only needs the {@code DerivationOutputs} rows).
 * Messages are recorded as {@code "LEVEL text"} with LEVEL E, I, T, C or D.
 */
public final class GcStore implements AutoCloseable {
    public static final StoreDir STORE = storeDir();

    private static StoreDir storeDir() {
        try {
            return StoreDir.of("/gnu/store");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the stand-in derivations. */
    public static final DerivationOutputsReader OUTPUTS = drv -> {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(drv, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    };

    public final Path root;
    public final StoreLayout layout;
    public final StoreDatabase db;
    public final GcLock gcLock;
    public final TempRoots tempRoots;
    public final GcRoots gcRoots;
    public final Links links;
    public final Optimiser optimiser;
    public final StoreWriter writer;
    public final Path proc;
    public final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    /** Called with each recorded message, on the collecting thread (to act in the middle of a run). */
    public volatile java.util.function.Consumer<String> onMessage = m -> { };
    public final StoreLog log = (level, text) -> {
        String m = "EITCD".charAt(level) + " " + text;
        messages.add(m);
        onMessage.accept(m);
    };
    public GarbageCollector gc;

    public GcStore(Path root) throws IOException {
        this(root, true);
    }

    public GcStore(Path root, boolean autoOptimise) throws IOException {
        this.root = root;
        this.layout = StoreLayout.under(root);
        this.db = StoreDatabase.open(layout, StoreDatabase.Options.defaults(OUTPUTS)
                .withClock(Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC))
                .withIgnoreSymlinkStore(true));
        this.gcLock = new GcLock(layout, null);
        this.tempRoots = TempRoots.open(layout, gcLock);
        this.gcRoots = new GcRoots(layout);
        this.links = new Links(layout);
        this.optimiser = new Optimiser(layout, links, log);
        this.writer = new StoreWriter(db, new StoreCanonicaliser((Integer) Files.getAttribute(root, "unix:uid"),
                (Integer) Files.getAttribute(root, "unix:gid")), null,
                autoOptimise ? optimiser : StoreWriter.Deduplication.NONE);
        this.proc = Files.createDirectories(root.resolve("proc"));
        this.gc = new GarbageCollector(db, gcLock, tempRoots, gcRoots, links, autoOptimise, proc);
    }

    /** {@code computeStorePathForText}. */
    public static String textPath(String name, String content, String... refs) {
        StringBuilder type = new StringBuilder("text");
        for (String r : new TreeSet<>(List.of(refs))) {
            type.append(':').append(r);
        }
        try {
            return StorePaths.makeStorePath(STORE, type.toString(),
                    Hash.sha256(content.getBytes(StandardCharsets.UTF_8)), name).absolute();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A text item (a regular file) referring to {@code refs}. */
    public String text(String name, String content, String... refs) throws IOException {
        String path = textPath(name, content, refs);
        writer.add(path, t -> Files.writeString(t, content), List.of(refs), Optional.empty(), null);
        return path;
    }

    /** A directory item holding one file {@code f} with {@code content}. */
    public String dir(String name, String content, String... refs) throws IOException {
        String path = textPath(name, "dir:" + content, refs);
        writer.add(path, t -> {
            Files.createDirectory(t);
            Files.writeString(t.resolve("f"), content);
        }, List.of(refs), Optional.empty(), null);
        return path;
    }

    /** A stand-in derivation {@code NAME.drv} with one output "out" at {@link #outputPath}. */
    public String drv(String name, String... refs) throws IOException {
        String content = "out=" + outputPath(name) + "\n";
        String path = textPath(name + ".drv", content, refs);
        writer.add(path, t -> Files.writeString(t, content), List.of(refs), Optional.empty(), null);
        return path;
    }

    public static String outputPath(String drvName) {
        return textPath(drvName, "output of " + drvName);
    }

    /** The output of {@link #drv}, built: deriver set, contents {@code content}. */
    public String output(String drvName, String drvPath, String content, String... refs) throws IOException {
        String path = outputPath(drvName);
        writer.add(path, t -> Files.writeString(t, content), List.of(refs), Optional.of(drvPath), null);
        return path;
    }

    /** A direct permanent root {@code gcroots/NAME -> path}. */
    public void root(String name, String path) throws IOException {
        Files.createSymbolicLink(layout.stateDir().resolve("gcroots").resolve(name), Path.of(path));
    }

    public GcResult collect(GcAction action, String... paths) throws IOException {
        return gc.collect(GcOptions.of(action, List.of(paths)), log);
    }

    public GcResult collect(GcOptions options) throws IOException {
        return gc.collect(options, log);
    }

    public boolean valid(String path) {
        try {
            return db.isValidPath(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public boolean onDisk(String path) {
        return Files.exists(layout.file(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Messages recorded so far, then forgotten. */
    public List<String> takeMessages() {
        synchronized (messages) {
            List<String> out = List.copyOf(messages);
            messages.clear();
            return out;
        }
    }

    @Override
    public void close() throws IOException {
        tempRoots.close();
        db.close();
    }
}
