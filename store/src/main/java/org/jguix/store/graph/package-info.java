/**
 * The store's reference graph held in memory between garbage collections ({@link
 * org.jguix.store.graph.GraphCache}): kept current by {@link org.jguix.store.StoreDatabase} on this
 * process's commits, reloaded when another process has committed ({@code PRAGMA data_version}), and
 * read by the collector ({@code org.jguix.store.gc.StoreGraph}) as a snapshot.
 */
package org.jguix.store.graph;
