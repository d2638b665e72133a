/**
 * Hash values as guix prints and parses them.
 *
 * <ul>
 *   <li>{@link org.jguix.hash.HashAlgorithm}: md5, sha1, sha256, sha512, sha3-256, sha3-512,
 *       blake2s-256 — exactly {@code hash.cc:parseHashType}.</li>
 *   <li>{@link org.jguix.hash.Hash}: algorithm + digest bytes; base16 (lowercase),
 *       nix-base32, base64 and {@code ALGO:BASE32}; {@code compressHash}.</li>
 *   <li>{@link org.jguix.hash.NixBase32}: the least-significant-quintet-last base32 of
 *       {@code printHash32}; decoding rejects non-canonical strings the C++ code would
 *       silently truncate.</li>
 * </ul>
 * Invariant: a {@code Hash} always has {@code algorithm.digestSize()} bytes. Errors are
 * {@link org.jguix.hash.InvalidHashException} (an {@code IOException}).
 */
package org.jguix.hash;
