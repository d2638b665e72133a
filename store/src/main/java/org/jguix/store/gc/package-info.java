/**
 * Garbage collection ({@code gc.cc:LocalStore::collectGarbage}) with guix-daemon's results and
 * messages, collecting while the daemon keeps adding and building.
 *
 * <pre>
 *  GarbageCollector.collect
 *   ├─ watch this process's temp roots (every root added from now on is seen)
 *   ├─ gc.lock exclusive ─────────────────────────────────────────────────┐ other processes:
 *   │   "finding garbage collector roots..."                              │ no new temp-roots
 *   │   graph = ValidPaths + Refs + DerivationOutputs, a snapshot of the  │ files, no
 *   │           in-memory GraphCache the database keeps (StoreGraph)      │ syncWithGC
 *   │   roots = gcroots/ manifests/ profiles/   (GcRoots.findRoots)       │
 *   │         ∪ busy items of running processes (RuntimeRoots)            │
 *   │         ∪ other processes' temproots files, read-locked (ForeignTempRoots)
 *   │         ∪ this process's temp roots (TempRoots.Watch)              │
 *   │   live  = what the roots keep alive (Liveness)                      │
 *   │   trash: delete a leftover $store/trash, create it                  │
 *   │   delete-specific: each path must be dead, else                     │
 *   │       "cannot delete path `P' since it is still alive"              │
 *   │   otherwise "deleting garbage..." / "determining live/dead paths...":
 *   │       invalid entries, then valid ones (shuffled under a limit) (Sweep);
 *   │       what goes is renamed into the trash, files unlinked meanwhile (Unlinker)
 *   │   return-live / return-dead: answer now                             │
 *   ├─ release ───────────────────────────────────────────────────────────┘
 *   ├─ "deleting `$store/trash'"  (waits for the Unlinker; the directories' bytes are counted here)
 *   └─ "deleting unused links..." + "note: currently hard linking saves …"  (Links.removeUnused)
 * </pre>
 *
 * <p><b>Liveness</b> is the daemon's {@code canReachRoot} computed once, forwards: a path is live if a
 * root reaches it through references, through "a live output keeps its derivation"
 * ({@code gc-keep-derivations}, default on) and "a live derivation keeps its outputs"
 * ({@code gc-keep-outputs}, default off). An invalid store entry is live only as a root; {@code X.lock}
 * and {@code X.chroot} of a temp root X are left alone.
 *
 * <p><b>Not stopping the world.</b> guix-daemon blocks every {@code addTempRoot} (so every add and
 * build) for the whole collection. jguix blocks this process's additions only while it removes one
 * path ({@link org.jguix.store.gc.Sweep}); roots added meanwhile join the live set, and a path that
 * gains a referrer is kept. Other processes still see guix-daemon's protocol (gc.lock, read locks on
 * their temp-roots files).
 *
 * <p><b>Deliberate differences from guix-daemon 1.5.0</b>: the connection running the collection
 * keeps its own temp roots (guix-daemon's fcntl locks make it see its own file as stale and ignore
 * them); busy items are found by reading {@code /proc} directly instead of running
 * {@code guix gc --list-busy}; jguix's own temporaries in the store directory ({@code .jguix-tmp-*},
 * {@code .tmp-link-*}) are not collected while their process lives; the return-live list holds the
 * live entries of the store directory (guix-daemon adds, at random, the valid paths missing from disk
 * that lay on the way to a root).
 */
package org.jguix.store.gc;
