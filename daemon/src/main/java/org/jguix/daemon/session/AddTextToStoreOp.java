package org.jguix.daemon.session;

import java.io.IOException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.hash.Hash;
import org.jguix.store.StoreWriter;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePaths;
import org.jguix.wire.Request.AddTextToStore;

/**
 * AddTextToStore ({@code LocalStore::addTextToStore}): path =
 * {@code makeStorePath("text" + ":REF"…, sha256(contents), name)} (name checked there, recoverable);
 * then the writer adds it with the given references, all of which must be valid (1.5.0's
 * {@code path `%1%' is not valid} otherwise). A {@code .drv} is parsed and its outputs checked at
 * registration. References are store paths checked while reading the request (fatal).
 */
final class AddTextToStoreOp implements OpHandler<AddTextToStore, String> {
    @Override
    public Work<String> prepare(AddTextToStore q, SessionState s) throws IOException {
        for (String ref : q.references()) {
            s.assertStorePath(ref);
        }
        return () -> add(q, s);
    }

    private static String add(AddTextToStore q, SessionState s) throws IOException {
        SortedSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
        refs.addAll(q.references());
        // computeStorePathForText on the reference strings as given (the daemon checks no more).
        StringBuilder type = new StringBuilder("text");
        for (String r : refs) {
            type.append(':').append(r);
        }
        StoreDir dir = StoreDir.of(s.store().layout().storeDirString());
        byte[] contents = q.contents().toByteArray();
        String path = StorePaths.makeStorePath(dir, type.toString(), Hash.sha256(contents), q.name()).absolute();
        s.store().writer().add(path, StoreWriter.Content.regularFile(contents), refs, Optional.empty(),
                s.tempRoots());
        return path;
    }
}
