# References, referrers, requisites and derivers as `guix gc` shows them, for sources,
# .drv files and built outputs of a two-step chain.  All outputs go to observed.txt.
source "$SCENARIO_DIR/lib.sh"

repl <<'SCM' >"$WORK/paths"
(define src (add-text-to-store %store "src" "a source\n"))
(define leaf (add-text-to-store %store "leaf" (string-append "uses " src "\n") (list src)))
(define a (sh-derivation "a" (string-append "echo " leaf " > $out") #:sources (list leaf)))
(define b (sh-derivation "b" "read x < $in; echo \"$x $in\" > $out"
                         #:inputs (list (derivation-input a))
                         #:env-vars `(("in" . ,(derivation->output-path a)))))
(build-derivations %store (list b))
(for-each (match-lambda ((k . v) (show k v)))
          `((src . ,src) (leaf . ,leaf) (a-drv . ,(derivation-file-name a))
            (a . ,(derivation->output-path a)) (b-drv . ,(derivation-file-name b))
            (b . ,(derivation->output-path b)) (bash . ,(bash)) (busybox . ,(busybox))))
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }

q() {  # q OPTION PATH...: run guix gc OPTION, record the sorted result under a label
  local label="gc $1 $2" out
  out=$(guix gc "$1" "${@:3}" | sort) || fail "guix gc $1 failed"
  printf '%s:\n%s\n' "$label" "$out" | tee -a "$OBSERVED"
}
q --references src "$(p src)"
q --references leaf "$(p leaf)"
q --references a-drv "$(p a-drv)"
q --references b-drv "$(p b-drv)"
q --references b "$(p b)"
q --referrers src "$(p src)"
q --referrers leaf "$(p leaf)"
q --referrers a "$(p a)"
q --referrers bash "$(p bash)"
q --requisites b "$(p b)"
q --requisites b-drv "$(p b-drv)"
q --requisites leaf+a "$(p leaf)" "$(p a)"
q --derivers a "$(p a)"
q --derivers b "$(p b)"
q --derivers src "$(p src)"

expect_eq "deriver of b" "$(p b-drv)" "$(guix gc --derivers "$(p b)")"
expect_eq "references of leaf" "$(p src)" "$(guix gc --references "$(p leaf)")"
grep -qx "$(p src)" <<<"$(guix gc --requisites "$(p b)")" || fail "src not a requisite of b"
grep -qx "$(p a-drv)" <<<"$(guix gc --referrers "$(p leaf)")" || fail "a.drv does not refer to leaf"

# Not in the store: the CLI's error.
expect_fail "references of an invalid path" guix gc --references /gnu/store/00000000000000000000000000000000-x
printf '%s\n' "$LAST_OUTPUT"
observe "invalid: $LAST_OUTPUT"
