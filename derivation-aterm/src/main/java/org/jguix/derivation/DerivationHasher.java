package org.jguix.derivation;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.jguix.hash.Hash;
import org.jguix.storepath.ByteOrder;

/**
 * {@code derivations.cc:hashDerivationModulo}, memoised per {@code .drv} path like the
 * daemon's {@code drvHashes}:
 * <pre>
 *   hashModulo(drv) = isFixedOutputDrv(drv)
 *       ? sha256("fixed:out:" + out.hashAlgo + ":" + out.hash + ":" + out.path)
 *       : sha256(unparse(drv with each inputDrvs key P replaced by hex(hashModulo(load(P))),
 *                        re-sorted; equal keys: the later P's output list wins))
 * </pre>
 * Inputs are hashed as stored (unmasked). The graph walk uses an explicit stack, so deep
 * chains cannot overflow the Java stack, and a cycle (impossible in a real store, where
 * a path is a hash of its inputs) is reported instead of looping.
 *
 * <p>Not thread-safe: holds the memo table; one per session or per operation.
 */
public final class DerivationHasher {
    private final DerivationLoader loader;
    private final Map<String, Hash> memo = new HashMap<>();

    public DerivationHasher(DerivationLoader loader) {
        this.loader = loader;
    }

    /** hashDerivationModulo of the derivation at {@code drvPath}, memoised. */
    public Hash hashModulo(String drvPath) throws IOException {
        ensure(Set.of(drvPath));
        return memo.get(drvPath);
    }

    /** hashDerivationModulo of {@code drv} (not memoised; its inputs are). */
    public Hash hashModulo(Derivation drv) throws IOException {
        if (drv.isFixedOutput()) {
            return fixedHash(drv);
        }
        ensure(drv.inputDrvs().keySet());
        return replacedHash(drv);
    }

    /** Number of memoised {@code .drv} hashes. */
    public int memoSize() {
        return memo.size();
    }

    private static Hash fixedHash(Derivation drv) {
        DerivationOutput out = drv.outputs().get("out");
        return Hash.sha256("fixed:out:" + out.hashAlgo() + ":" + out.hash() + ":" + out.path());
    }

    private Hash replacedHash(Derivation drv) throws InvalidDerivationException {
        Map<String, SortedSet<String>> replaced = new TreeMap<>(ByteOrder.COMPARATOR);
        for (Map.Entry<String, SortedSet<String>> e : drv.inputDrvs().entrySet()) {
            replaced.put(memo.get(e.getKey()).toBase16(), e.getValue());
        }
        return Hash.sha256(DerivationPrinter.print(drv.withInputDrvs(replaced)));
    }

    /** One derivation being hashed and the inputs still to visit. */
    private static final class Frame {
        final String path;
        final Derivation drv;
        final Iterator<String> inputs;

        Frame(String path, Derivation drv) {
            this.path = path;
            this.drv = drv;
            this.inputs = drv.inputDrvs().keySet().iterator();
        }
    }

    /** Makes sure every path in {@code roots} (and so its closure) is in {@link #memo}. */
    private void ensure(Set<String> roots) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        for (String root : roots) {
            if (!memo.containsKey(root)) {
                push(stack, onStack, root);
            }
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                String next = null;
                while (top.inputs.hasNext()) {
                    String p = top.inputs.next();
                    if (!memo.containsKey(p)) {
                        next = p;
                        break;
                    }
                }
                if (next != null) {
                    if (onStack.contains(next)) {
                        throw new InvalidDerivationException("derivation graph has a cycle: `" + top.path
                                + "' depends on `" + next + "', which depends on it");
                    }
                    push(stack, onStack, next);
                    continue;
                }
                stack.pop();
                onStack.remove(top.path);
                memo.put(top.path, top.drv.isFixedOutput() ? fixedHash(top.drv) : replacedHash(top.drv));
            }
        }
    }

    private void push(Deque<Frame> stack, Set<String> onStack, String path) throws IOException {
        Derivation drv = loader.load(path);
        if (drv == null) {
            throw new InvalidDerivationException("no derivation loaded for `" + path + "'");
        }
        // A fixed-output derivation's hash ignores its inputs: do not visit them.
        Frame f = drv.isFixedOutput() ? new Frame(path, drv.withInputDrvs(Map.of())) : new Frame(path, drv);
        stack.push(f);
        onStack.add(path);
    }
}
