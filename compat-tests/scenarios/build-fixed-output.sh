# Fixed-output derivations: flat (sha256 of the file) and recursive (sha256 of the NAR,
# sha1, and blake2s-256, which the JDK has no digest for), two different builders of the same content giving the same output path,
# and a hash mismatch (the real daemon's message).  Paths and messages to observed.txt;
# the pid in "killing process N" (slirp4netns, killed when the build ends) is normalised.
source "$SCENARIO_DIR/lib.sh"
normalise_pid() { sed -E 's/^killing process [0-9]+$/killing process <PID>/'; }

repl <<'SCM' | tee "$WORK/drvs"
(define content "fixed content\n")
(define flat-hash (sha256 (string->utf8 content)))
(define tree-dir (string-append "/tmp/fod-tree-" (number->string (getpid))))
(mkdir tree-dir)
(call-with-output-file (string-append tree-dir "/file") (cut display content <>))
(symlink "file" (string-append tree-dir "/link"))
(define (nar-hash algo)
  (let-values (((port get) (open-hash-port algo)))
    (write-file tree-dir port) (force-output port) (get)))
(define tree-script
  "mkdir $out; echo fixed content > $out/file; ln -s file $out/link")
(define (fod name script hash algo recursive?)
  (sh-derivation name script #:hash hash #:hash-algo algo #:recursive? recursive?))
(define drvs
  `(("flat" . ,(fod "fixed-flat" "echo fixed content > $out" flat-hash 'sha256 #f))
    ("flat-other-builder" . ,(fod "fixed-flat" "printf 'fixed content\\n' > $out" flat-hash 'sha256 #f))
    ("recursive" . ,(fod "fixed-tree" tree-script (nar-hash (hash-algorithm sha256)) 'sha256 #t))
    ("recursive-sha1" . ,(fod "fixed-tree1" tree-script (nar-hash (hash-algorithm sha1)) 'sha1 #t))
    ("recursive-blake2s" . ,(fod "fixed-tree2" tree-script (nar-hash (hash-algorithm blake2s-256))
                                 'blake2s-256 #t))
    ("mismatch" . ,(fod "fixed-wrong" "echo other content > $out" flat-hash 'sha256 #f))))
(for-each (match-lambda ((label . d)
                         (show label (derivation-file-name d) (derivation->output-path d))))
          drvs)
SCM
f() { awk -v k="$1" '$1==k {print $'"$2"'}' "$WORK/drvs"; }
observe_file "$WORK/drvs"

expect_eq "same path for other builder" "$(f flat 3)" "$(f flat-other-builder 3)"
[[ $(f flat 2) != "$(f flat-other-builder 2)" ]] || fail "the two .drv files should differ"

for k in flat recursive recursive-sha1 recursive-blake2s; do
  out=$(guix build --no-substitutes "$(f $k 2)" 2>"$WORK/err") || { cat "$WORK/err"; fail "build $k"; }
  expect_eq "$k output" "$(f $k 3)" "$out"
  observe "$k: stderr: $(normalise_pid <"$WORK/err" | tr '\n' '|')"
  observe "$k: references: $(guix gc --references "$out" | tr '\n' ' ')"
done
expect_eq "flat contents" "fixed content" "$(cat "$(f flat 3)")"
expect_eq "tree link" "file" "$(readlink "$(f recursive 3)/link")"

# Already valid through the first builder: the second one builds nothing.
out=$(guix build --no-substitutes "$(f flat-other-builder 2)" 2>"$WORK/err")
expect_eq "other builder output" "$(f flat 3)" "$out"
observe "flat-other-builder: stderr: $(tr '\n' '|' <"$WORK/err")"

expect_fail "hash mismatch" guix build --no-substitutes "$(f mismatch 2)"
printf '%s\n' "$LAST_OUTPUT"
grep -q "hash mismatch" <<<"$LAST_OUTPUT" || fail "no 'hash mismatch' message"
observe "mismatch: $(normalise_pid <<<"$LAST_OUTPUT" | tr '\n' '|')"
[[ ! -e $(f mismatch 3) ]] || fail "mismatching output left in the store"
