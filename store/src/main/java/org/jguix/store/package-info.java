/**
 * The local store as guix-daemon keeps it on disk, so that jguix and guix-daemon can replace each other
 * on one {@code /gnu/store} + {@code /var/guix}.
 *
 * <pre>
 * $db/db.sqlite       {@link org.jguix.store.StoreDatabase} — guix's schema 7 verbatim, WAL
 * $db/schema          "7" (1 byte)          $db/big-lock   shared fcntl lock, held while open
 * $store/&lt;p&gt;           content written by {@link org.jguix.store.StoreWriter}: temp → canonical → fsync → rename → register
 * $store/&lt;p&gt;.lock      {@link org.jguix.store.PathLocks}  (in-process keyed mutex + guix's fcntl protocol)
 * $state/gc.lock      {@link org.jguix.store.GcLock}
 * $state/temproots/&lt;pid&gt;  {@link org.jguix.store.TempRoots} (one file for the whole jguix process)
 * $state/gcroots/…    {@link org.jguix.store.GcRoots}
 * $store/.links/&lt;h&gt;    {@link org.jguix.store.optimise} (deduplication); collection in {@link org.jguix.store.gc},
 *                     verification in {@link org.jguix.store.verify}
 * </pre>
 *
 * <p>Invariants: a path is valid only if its complete, canonical content is on disk (enforced by
 * {@code StoreWriter}); references of a valid path are valid and only ever added (enforced by the
 * registration transaction and the schema's foreign keys); a registration is all or nothing (one
 * SQLite transaction). fcntl locks are per process, so every lock here is first coordinated in memory
 * and then, once per process, on disk.
 */
package org.jguix.store;
