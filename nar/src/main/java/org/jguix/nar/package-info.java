/**
 * NAR (Nix ARchive): the canonical serialisation of a file tree that store paths are hashed over.
 * Byte-level reference: {@code spec/nar-format.md}; C++ counterpart {@code nix/libutil/archive.cc}.
 *
 * <h2>Layout</h2>
 * Everything is a <em>string</em>: an unsigned 64-bit little-endian length, the raw bytes, then zero
 * padding to a multiple of 8 (so every string starts 8-aligned).
 * <pre>
 *  +----------------+----------------------+-----------+
 *  | len (u64 LE)   | len bytes            | 0-7 x 00  |
 *  +----------------+----------------------+-----------+
 *
 *  nar       ::= "nix-archive-1" node
 *  node      ::= "(" "type" ( "regular" ["executable" ""] "contents" CONTENTS
 *                           | "symlink" "target" TARGET
 *                           | "directory" entry* ) ")"
 *  entry     ::= "entry" "(" "name" NAME "node" node ")"
 *  CONTENTS  ::= a string with a full 64-bit length (streamed, never buffered)
 * </pre>
 *
 * <h2>Invariants and who enforces them</h2>
 * <ul>
 * <li>Tokens in exactly this order, empty executable marker before {@code contents}, zero padding,
 *     no bytes after the final {@code )} consumed: {@link org.jguix.nar.NarReader} (guix-daemon is
 *     order-insensitive and ignores the marker's value; jguix accepts only canonical archives).</li>
 * <li>Names non-empty, not {@code .}/{@code ..}, without {@code /} or NUL: {@link org.jguix.nar.NarName}
 *     by construction.</li>
 * <li>Entries strictly increasing in unsigned byte order (no duplicates): the reader on bytes,
 *     {@code internal.EventOrder} on events for the writer, restore and listing; the dumper sorts.</li>
 * <li>Symlink targets non-empty and NUL-free: {@link org.jguix.nar.NarEvent.Symlink}.</li>
 * <li>Lengths and depth bounded: {@link org.jguix.nar.NarLimits}, applied by the reader.</li>
 * <li>Restores never leave partial trees and never follow symlinks: {@link org.jguix.nar.NarRestorer}.</li>
 * </ul>
 *
 * <h2>Shape</h2>
 * One event vocabulary ({@link org.jguix.nar.NarEvent}); two sources (the pull
 * {@link org.jguix.nar.NarReader} over bytes, the push {@link org.jguix.nar.NarDumper} over a file
 * tree); sinks ({@link org.jguix.nar.NarSink}): {@link org.jguix.nar.NarWriter} (bytes, and through it
 * hashing with {@link org.jguix.nar.NarHasher} and {@link org.jguix.nar.ReferenceScanner}),
 * {@link org.jguix.nar.NarRestorer}, {@link org.jguix.nar.NarLister}. Errors are
 * {@link org.jguix.nar.NarException}s.
 *
 * <h2>Speed</h2>
 * The dumper reads files through a page-aligned direct buffer ({@code internal.AlignedReader}: the
 * kernel copies into an unaligned one at a quarter of the speed), and the hasher runs the dumper on a
 * second thread ({@code internal.ReadAhead}, a few pooled chunks) so that reading overlaps SHA-256,
 * which is then the whole cost.
 */
package org.jguix.nar;
