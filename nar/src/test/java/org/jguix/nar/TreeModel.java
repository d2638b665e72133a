package org.jguix.nar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory file tree for tests: written to disk, or turned into events independently of the dumper. */
sealed interface TreeModel {
    record File(boolean executable, byte[] data) implements TreeModel { }

    record Link(String target) implements TreeModel { }

    record Dir(Map<String, TreeModel> entries) implements TreeModel { }

    /** Creates the tree at {@code path}. */
    default void write(Path path) throws IOException {
        switch (this) {
            case File f -> {
                Files.write(path, f.data());
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(f.executable() ? "rwxr-xr-x" : "rw-r--r--"));
            }
            case Link l -> Files.createSymbolicLink(path, Path.of(l.target()));
            case Dir d -> {
                Files.createDirectory(path);
                for (var e : d.entries().entrySet()) {
                    e.getValue().write(path.resolve(e.getKey()));
                }
            }
        }
    }

    /** Emits the tree's events with entries sorted by UTF-8 bytes (recursive: test trees are shallow). */
    default void emit(NarSink sink) throws IOException {
        switch (this) {
            case File f -> {
                sink.accept(new NarEvent.RegularStart(f.executable(), f.data().length));
                sink.contents(f.data(), 0, f.data().length);
                sink.accept(NarEvent.REGULAR_END);
            }
            case Link l -> sink.accept(new NarEvent.Symlink(l.target().getBytes(StandardCharsets.UTF_8)));
            case Dir d -> {
                sink.accept(NarEvent.DIRECTORY_START);
                TreeMap<byte[], TreeModel> sorted = new TreeMap<>(Arrays::compareUnsigned);
                d.entries().forEach((k, v) -> sorted.put(k.getBytes(StandardCharsets.UTF_8), v));
                for (var e : sorted.entrySet()) {
                    sink.accept(new NarEvent.EntryStart(NarName.of(e.getKey())));
                    e.getValue().emit(sink);
                    sink.accept(NarEvent.ENTRY_END);
                }
                sink.accept(NarEvent.DIRECTORY_END);
            }
        }
    }
}
