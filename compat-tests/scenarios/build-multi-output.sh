# A derivation with three outputs (out, lib, doc) where one output refers to another:
# all are built and valid, references between outputs are registered, `guix build'
# prints every output, and BuildPaths of a single output (DRV!lib) works too.
# (The CLI's `guix build DRV^lib' prints nothing and exits 0 in 1.5.0, so not used.)
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "multi"
  "mkdir $out $doc; echo library > $lib; echo \"see $lib\" > $out/readme; echo docs > $doc/index"
  #:outputs (list "out" "lib" "doc"))')
guix build --no-substitutes "$d" >"$WORK/outs" 2>"$WORK/err" || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err" "$WORK/outs"
expect_eq "number of outputs printed" 3 "$(wc -l <"$WORK/outs")"
out=$(grep -E -- '-multi$' "$WORK/outs"); lib=$(grep -E -- '-multi-lib$' "$WORK/outs"); doc=$(grep -E -- '-multi-doc$' "$WORK/outs")
[[ -n $out && -n $lib && -n $doc ]] || fail "missing outputs"
expect_eq "lib contents" "library" "$(cat "$lib")"
expect_eq "out contents" "see $lib" "$(cat "$out/readme")"
expect_eq "references of out" "$lib" "$(guix gc --references "$out")"
expect_eq "references of lib" "" "$(guix gc --references "$lib")"
expect_eq "deriver of doc" "$d" "$(guix gc --derivers "$doc")"
observe "drv: $d"
observe "outputs: $(sort "$WORK/outs" | tr '\n' ' ')"
observe "stderr: $(tr '\n' '|' <"$WORK/err")"

# Outputs registered per name (QueryDerivationOutputNames/Map through the client).
repl <<SCM | tee "$WORK/rpc"
(show "output-map" (derivation-path->output-paths "$d"))
(show "lib-only" (build-things %store (list (cons "$d" "lib"))))
SCM
observe_file "$WORK/rpc"

