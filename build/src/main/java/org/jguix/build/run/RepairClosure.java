package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.store.StoreDatabase;
import org.jguix.storepath.ByteOrder;

/**
 * {@code DerivationGoal::repairClosure} and {@code closureRepaired}: in repair mode, once a
 * derivation's own outputs are good, every other path in their closure is checked; a bad one
 * ("found corrupted or missing path `P' in the output closure of `D'") is repaired by a repair
 * goal for the derivation in {@code D}'s closure that produces it, or else by a repair substitution
 * goal. Any failure is an error of the whole request: "some paths in the output closure of
 * derivation `D' could not be repaired".
 */
final class RepairClosure {
    private RepairClosure() {
    }

    static GoalStatus run(BuildRun run, String drvPath, Derivation drv, Set<String> wantedOutputs)
            throws IOException, InterruptedException {
        StoreDatabase db = run.context().db();
        List<String> own = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        for (var e : drv.outputs().entrySet()) {
            own.add(e.getValue().path());
            if (wantedOutputs.isEmpty() || wantedOutputs.contains(e.getKey())) {
                roots.add(e.getValue().path());
            }
        }
        SortedSet<String> outputClosure = new TreeSet<>(ByteOrder.COMPARATOR);
        outputClosure.addAll(DerivationGoal.closure(db, roots));
        outputClosure.removeAll(own);

        Map<String, String> outputsToDrv = new HashMap<>();
        for (String p : DerivationGoal.closure(db, List.of(drvPath))) {
            if (p.endsWith(".drv")) {
                Derivation d = new DerivationParser().parse(Files.readAllBytes(db.layout().file(p)));
                for (DerivationOutput o : d.outputs().values()) {
                    outputsToDrv.put(o.path(), p);
                }
            }
        }
        List<CompletableFuture<GoalStatus>> repairs = new ArrayList<>();
        for (String p : outputClosure) {
            if (run.contents().good(p, run.events())) {
                continue;
            }
            run.events().message(BuildEvents.ERROR, "found corrupted or missing path `" + p
                    + "' in the output closure of `" + drvPath + "'");
            String deriver = outputsToDrv.get(p);
            repairs.add(deriver == null ? run.substitutionGoal(p, true)
                    : run.derivationGoal(deriver, Set.of(), BuildMode.REPAIR));
        }
        if (run.awaitAll(repairs).failed() > 0) {
            throw new IOException("some paths in the output closure of derivation `" + drvPath
                    + "' could not be repaired");
        }
        return GoalStatus.ALREADY_VALID;
    }
}
