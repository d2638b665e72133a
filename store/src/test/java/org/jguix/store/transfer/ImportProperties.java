package org.jguix.store.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jguix.store.StoreException;
import org.jguix.store.transfer.TransferTestSupport.Item;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.jguix.nar.TreeDeleter;

/**
 * The importer is total on damaged input: the real client's first two items (hello.txt, ref.txt →
 * hello.txt) with a few bytes changed either import (the damage missed everything checked) or fail
 * with one of the store's typed errors — never a RuntimeException — and leave no temporary behind;
 * with signatures required, any damage to the signed bytes is refused.
 */
class ImportProperties {
    static final byte[] STREAM;
    static final int SIGNED_END; // first item: bytes covered by its signature end here (stream offset)

    static {
        try {
            byte[] file = TransferTestSupport.fixture("export.nar");
            List<Item> items = TransferTestSupport.items(file);
            STREAM = TransferTestSupport.concat(java.util.Arrays.copyOf(file, items.get(1).end()), TransferTestSupport.u64(0));
            SIGNED_END = items.get(0).trailerEnd();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> damage() {
        return Arbitraries.integers().between(0, STREAM.length - 1)
                .flatMap(at -> Arbitraries.integers().between(1, 255).map(x -> Tuple.of(at, x)))
                .list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 100)
    void damagedStreamsFailTypedAndLeaveNothing(@ForAll("damage") List<Tuple.Tuple2<Integer, Integer>> damage,
            @ForAll boolean requireSignature) throws Exception {
        byte[] bad = STREAM.clone();
        boolean signedBytesHit = false;
        for (Tuple.Tuple2<Integer, Integer> d : damage) {
            bad[d.get1()] ^= d.get2().byteValue();
            signedBytesHit |= d.get1() >= 8 && d.get1() < SIGNED_END;
        }
        Path root = Files.createTempDirectory("jguix-import-prop");
        try (Store store = Store.open(root)) {
            FakeAuthenticator auth = new FakeAuthenticator().authorise(TransferTestSupport.fixtureKeyQ());
            try {
                List<String> imported = new PathImporter(store.db(), store.writer(), auth)
                        .importPaths(new ByteArrayInputStream(bad), requireSignature, null);
                for (String p : imported) {
                    assertTrue(store.db().isValidPath(p));
                }
                // Damage to the leading "another item follows" word can end the stream before the item:
                // then nothing is imported, which is no acceptance of damaged bytes.
                assertTrue(!requireSignature || !signedBytesHit || imported.isEmpty(),
                        "a damaged signed item was accepted: " + damage);
            } catch (StoreException expected) {
                // TransferException or a registration error: typed, with the daemon's text
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            }
            assertEquals(List.of(), store.strayEntries());
        } finally {
            TreeDeleter.delete(root);
        }
    }
}
