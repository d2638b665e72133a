/**
 * ExportPath and ImportPaths as store operations, independent of sockets: the session hands in the
 * tunnel streams ({@link org.jguix.wire.TunnelOutputStream} for ExportPath's STDERR_WRITE frames,
 * {@link org.jguix.wire.TunnelInputStream} for ImportPaths' STDERR_READ pulls) as plain streams.
 *
 * <h2>Export stream (what {@code guix archive --export} writes, what ImportPaths reads)</h2>
 * Integers are {@code u64} little-endian; {@code int} is one whose upper 4 bytes are zero; a string
 * is a {@code u64} length, the bytes, zero padding to a multiple of 8 ({@code serialise.cc}).
 * <pre>
 *  stream  ::= ( u64 1  item )*  u64 0           markers: written by the CLIENT (export-paths),
 *                                               read by the daemon (LocalStore::importPaths)
 *  item    ::= NAR                              ┐ written by the daemon (LocalStore::exportPath),
 *              int 0x4558494e ("NIXE")          │ SHA-256 over all of these = the signed hash
 *              string PATH                      │
 *              int N, N × string REFERENCE      │ sorted (a std::set)
 *              string DERIVER                   ┘ "" if none
 *              ( int 1  string SIGNATURE  |  int 0 )   not hashed; any value ≠ 1 means "no signature"
 * </pre>
 * SIGNATURE is the text of a canonical S-expression made by {@code guix authenticate sign}:
 * {@code (signature (data (flags rfc6979) (hash sha256 #HEX#)) (sig-val …) (public-key …))}; with
 * RFC 6979 nonces it is deterministic, so one key and one item always give the same bytes.
 *
 * <h2>Who enforces what</h2>
 * <ul>
 * <li>Markers 0/1, {@code EXPORT_MAGIC}, store paths in the trailer, signature present and matching
 *     the hash: {@link org.jguix.store.transfer.PathImporter}, with guix-daemon's texts
 *     ({@code internal.TransferErrors}).</li>
 * <li>NAR well-formedness (jguix accepts only canonical NARs; every exporter writes those):
 *     {@link org.jguix.nar.NarReader}; primitive framing and padding: {@link org.jguix.wire.WireReader}.</li>
 * <li>Signature validity and the ACL: the {@code guix authenticate} agent
 *     ({@link org.jguix.store.transfer.AuthenticateAgent}); jguix never parses signatures.</li>
 * <li>References valid, atomic registration, locks, temp roots: {@link org.jguix.store.StoreWriter}.</li>
 * <li>Stored hash = exported NAR, secret key not readable by others:
 *     {@link org.jguix.store.transfer.PathExporter}.</li>
 * </ul>
 */
package org.jguix.store.transfer;
