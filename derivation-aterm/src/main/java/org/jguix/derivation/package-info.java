/**
 * Derivations: the model, the ATerm {@code .drv} format, {@code hashDerivationModulo} and
 * output-path computation ({@code derivations.cc}, {@code store-api.cc}).
 *
 * <h2>Grammar (exactly as printed; no whitespace, no trailing newline)</h2>
 * <pre>
 *   drv    = "Derive(" "[" out,* "]" "," "[" in,* "]" "," "[" str,* "]" ","
 *            str "," str "," "[" str,* "]" "," "[" env,* "]" ")"
 *   out    = "(" str "," path "," str "," str ")"      ; id, path, [r:]algo, hex hash
 *   in     = "(" path "," "[" str,* "]" ")"             ; .drv path, output ids
 *   env    = "(" str "," str ")"
 *   str    = '"' ( byte except " \ LF CR TAB NUL | '\' ( '"' | '\' | 'n' | 'r' | 't' ) )* '"'
 *   path   = str starting with '/'
 * </pre>
 * Bytes are mapped to chars as ISO-8859-1: the file is hashed as bytes, and Guix's
 * client writes characters ≤ U+00FF as single Latin-1 bytes.
 *
 * <h2>Invariants and who enforces them</h2>
 * <ul>
 *   <li>{@link org.jguix.derivation.Derivation}: strings are bytes without NUL; outputs,
 *       inputDrvs (and their id sets), inputSrcs and env are byte-wise sorted sets/maps.</li>
 *   <li>{@link org.jguix.derivation.DerivationParser}: the text is in the printed form
 *       (so {@code print(parse(b)) == b}); paths are absolute; fixed-output fields parse.</li>
 *   <li>{@link org.jguix.derivation.DerivationPaths#check}: output paths match their
 *       recomputation (the daemon does this when a {@code .drv} is registered).</li>
 * </ul>
 */
package org.jguix.derivation;
