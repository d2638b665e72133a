# A chain of four derivations, each reading its predecessor's output: `guix build' of
# the last builds all of them in order; the chain's output closure is registered.
source "$SCENARIO_DIR/lib.sh"

last=$(repl <<'SCM'
(define (step n prev)
  (sh-derivation (string-append "step" (number->string n))
                 (if prev
                     (string-append "read x < " (derivation->output-path prev)
                                    "; echo \"$x+" (number->string n) "\" > $out")
                     "echo 1 > $out")
                 #:inputs (if prev (list (derivation-input prev)) '())))
(display (derivation-file-name (fold (lambda (n prev) (step n prev)) (step 1 #f) '(2 3 4))))
SCM
)
guix build --no-substitutes "$last" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"
out=$(cat "$WORK/out")
expect_eq "final contents" "1+2+3+4" "$(cat "$out")"
grep -c '^building /gnu/store/.*-step[0-9].drv\.\.\.$' "$WORK/err" | { read -r n; expect_eq "builds" 4 "$n"; }
# Builds ran in dependency order.
expect_eq "order" "step1 step2 step3 step4" \
  "$(sed -n 's|^building /gnu/store/.\{32\}-\(step[0-9]\)\.drv\.\.\.$|\1|p' "$WORK/err" | tr '\n' ' ' | sed 's/ $//')"
observe "last: $last"
observe "out: $out"
observe "stderr: $(tr '\n' '|' <"$WORK/err")"
# The output does not refer to its predecessors (only copied the value), but the .drv
# closure contains every step.
expect_eq "output references" "" "$(guix gc --references "$out")"
observe "drv closure: $(guix gc --requisites "$last" | sort | tr '\n' ' ')"
expect_eq "drv closure size" 6 "$(guix gc --requisites "$last" | wc -l)"
