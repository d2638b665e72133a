/**
 * Store directories, store paths and their computation ({@code store-api.cc}).
 *
 * <pre>
 *   STORE_DIR "/" HASH32 "-" NAME        HASH32 = 32 nix-base32 chars = 20 bytes
 *   NAME: [A-Za-z0-9+\-._?=]*, not starting with '.', ≤ 222 bytes (ours; guix: unlimited)
 * </pre>
 * Invariants: a {@link org.jguix.storepath.StorePath} always has a 20-byte digest and a
 * checked name and carries its {@link org.jguix.storepath.StoreDir}. Computation is in
 * {@link org.jguix.storepath.StorePaths}; set order is
 * {@link org.jguix.storepath.ByteOrder}. Errors: {@link
 * org.jguix.storepath.InvalidStorePathException}, texts in one place ({@code StoreErrors}).
 */
package org.jguix.storepath;
