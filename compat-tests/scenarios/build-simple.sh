# A plain build through `guix build': output path and contents, a no-op rebuild, and
# `guix build -d'-style queries of the outputs (derivation->output-path vs what the
# client prints).  Paths and contents go to observed.txt.
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "hello" "echo hello from $out > $out; echo building >&2")')
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"; observe "stderr: $(tr "\n" "|" <"$WORK/err")"
expect_match "output path" '^/gnu/store/[0-9a-df-np-sv-z]{32}-hello$' "$out"
expect_eq "contents" "hello from $out" "$(cat "$out")"
expect_eq "mode" "444" "$(stat -c %a "$out")"
expect_eq "mtime" "1" "$(stat -c %Y "$out")"
expect_eq "owner" "root:root" "$(stat -c %U:%G "$out")"
observe "drv: $d"
observe "out: $out"
observe "contents: $(cat "$out")"
observe "stat: $(stat -c '%a %U:%G %Y %s' "$out")"

# Building again is a no-op: same path, nothing built.
again=$(guix build --no-substitutes "$d" 2>"$WORK/err2")
expect_eq "rebuild path" "$out" "$again"
[[ ! -s $WORK/err2 ]] || { cat "$WORK/err2"; fail "rebuild printed something"; }

# The same through the RPC, plus the derivation's recorded outputs.
repl <<SCM | tee "$WORK/rpc"
(define d (read-derivation-from-file "$d"))
(show "valid" (valid-path? %store "$out"))
(show "outputs" (derivation-output-names d))
(show "query-derivation-outputs" (derivation-path->output-paths "$d"))
(show "build-things" (build-things %store (list "$d")))
(show "valid-derivers" (valid-derivers %store "$out"))
SCM
observe_file "$WORK/rpc"
grep -qx "valid #t" "$WORK/rpc" || fail "output not valid"
