package org.jguix.daemon.session;

import java.util.HashMap;
import java.util.Map;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * Which {@link OpHandler} serves which {@link Operation}: the daemon-side counterpart of the wire
 * module's operation table, filled in one place ({@link #standard}). Immutable once built.
 */
public final class OpTable {
    private final Map<Operation<?, ?>, OpHandler<?, ?>> handlers;

    private OpTable(Map<Operation<?, ?>, OpHandler<?, ?>> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /** Collects handlers; each operation at most once. */
    public static final class Builder {
        private final Map<Operation<?, ?>, OpHandler<?, ?>> map = new HashMap<>();

        public <Q extends Request, P> Builder put(Operation<Q, P> op, OpHandler<Q, P> handler) {
            if (map.putIfAbsent(op, handler) != null) {
                throw new IllegalStateException(op + " registered twice");
            }
            return this;
        }

        public OpTable build() {
            return new OpTable(map);
        }
    }

    /**
     * Every operation of protocol 0x164. Each line names the class serving a group.
     */
    public static OpTable standard() {
        Builder b = new Builder();
        PathQueryOps.register(b);
        DerivationQueryOps.register(b);
        SubstituteOps.register(b);
        b.put(Operation.ADD_TO_STORE, new AddToStoreOp());
        b.put(Operation.ADD_TEXT_TO_STORE, new AddTextToStoreOp());
        RootOps.register(b);
        FailedPathOps.register(b);
        b.put(Operation.SET_OPTIONS, new SetOptionsOp());
        b.put(Operation.BUILTIN_BUILDERS, OpHandler.direct((q, s) -> BUILTIN_BUILDERS));
        TransferOps.register(b);
        BuildOps.register(b);
        GcOps.register(b);
        return b.build();
    }

    /** {@code builtins.cc:builtinBuilderNames}: without the {@code builtin:} prefix, sorted. */
    static final java.util.List<String> BUILTIN_BUILDERS = java.util.List.of("download", "git-download");

    /** The handler for {@code op}, or null if none was registered. */
    @SuppressWarnings("unchecked") // put() only pairs an operation with a handler of its own types
    public <Q extends Request, P> OpHandler<Q, P> handler(Operation<Q, P> op) {
        return (OpHandler<Q, P>) handlers.get(op);
    }

    public boolean covers(Operation<?, ?> op) {
        return handlers.containsKey(op);
    }
}
