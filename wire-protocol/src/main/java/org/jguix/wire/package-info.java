/**
 * The Guix worker protocol 0x164 (guix-daemon ⇄ Guix client) as a pure codec: no sockets, no
 * store. Reference: {@code /work/shared/spec/worker-protocol.md}; C++
 * {@code nix/nix-daemon/nix-daemon.cc}, {@code nix/libutil/serialise.cc}; Guile
 * {@code guix/store.scm}, {@code guix/remote-procedures.scm}.
 *
 * <h2>Primitives ({@link org.jguix.wire.WireReader}, {@link org.jguix.wire.WireWriter})</h2>
 *
 * <pre>
 *   u64      8 bytes little-endian
 *   int      a u64 whose bytes 4–7 are zero (else "implementation cannot deal with &gt; 32-bit integers")
 *   string   int length L | L bytes | (8 − L mod 8) mod 8 zero bytes (else "non-zero padding")
 *   strings  int count N | N strings
 *   pairs    int count N | N × (string, string)
 * </pre>
 *
 * Everything on the wire is a multiple of 8 bytes, except nothing: even a NAR is made of
 * 8-byte-aligned items.
 *
 * <h2>A session</h2>
 *
 * <pre>
 *   {@link org.jguix.wire.Handshake}
 *   repeat:  C→D  int opcode, request fields        {@link org.jguix.wire.Operation#readRequest}
 *                 [AddToStore: a NAR, unframed]     read by the session from {@link org.jguix.wire.WireReader#rawStream()}
 *            D→C  {NEXT | WRITE | READ→(C→D string)}*   {@link org.jguix.wire.StderrCodec}, tunnels
 *            D→C  LAST + reply fields | ERROR       {@link org.jguix.wire.Operation#writeReply}
 * </pre>
 *
 * <h2>Who enforces what</h2>
 *
 * This layer: framing, padding, 32-bit ints, UTF-8 of text strings, the length limits of
 * {@link org.jguix.wire.WireLimits}, known opcodes, version-gated fields (each gate once, in
 * the codec of its field). The session/store layer: that paths are store paths
 * ({@code assertStorePath}), sortedness and de-duplication of sets, which errors are fatal,
 * the NAR grammar (module {@code nar}). Every decode failure is a
 * {@link org.jguix.wire.WireException} carrying the daemon's client-visible text.
 */
package org.jguix.wire;
