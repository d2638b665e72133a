package org.jguix.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The traced child of {@link SyncOrderIT}: opens a store under {@code args[0]} (creating the
 * database first, so that its set-up writes come before the marker), prints a marker line, then adds
 * one directory item ({@code d/f} and {@code d/sub/g}) through {@link StoreWriter#add}, or with a
 * second argument {@code text} one regular file as AddTextToStore does (synced through the
 * descriptor it was written with).
 */
public final class SyncOrderMain {
    private SyncOrderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        try (StoreDatabase db = TestStores.open(root)) {
            db.isValidPath(TestStores.path("warm-up")); // the read connection exists before the add
            StoreWriter writer = new StoreWriter(db, TestStores.canonicaliser(root), null);
            String path = TestStores.path("synced");
            System.out.println("ADDING " + path);
            System.out.flush();
            StoreWriter.Content content = args.length > 1 && args[1].equals("text")
                    ? StoreWriter.Content.regularFile("a text item".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    : t -> {
                        Files.createDirectories(t.resolve("sub"));
                        Files.writeString(t.resolve("f"), "content of f");
                        Files.writeString(t.resolve("sub/g"), "content of g");
                    };
            writer.add(path, content, List.of(), Optional.empty(), null);
            System.out.println("ADDED " + db.isValidPath(path));
        }
    }
}
