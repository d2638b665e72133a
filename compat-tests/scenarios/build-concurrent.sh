# Two clients ask for the same derivation at once: it is built once (the builder's output
# carries a random number, so two builds would differ... but the path is fixed, so what
# shows is that both clients get the same, registered content) and both succeed; the
# builder log holds one run.
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "shared" "echo run >&2; sleep 2; echo $SRANDOM > $out")')
guix build --no-substitutes "$d" >"$WORK/one" 2>"$WORK/one.err" &
p1=$!
sleep 0.5
guix build --no-substitutes "$d" >"$WORK/two" 2>"$WORK/two.err" &
p2=$!
wait "$p1" || { cat "$WORK/one.err"; fail "first client"; }
wait "$p2" || { cat "$WORK/two.err"; fail "second client"; }
cat "$WORK/one.err" "$WORK/two.err"
expect_eq "same output path" "$(cat "$WORK/one")" "$(cat "$WORK/two")"
out=$(cat "$WORK/one")
log=$(guix build --log-file "$d")
expect_eq "one builder run in the log" "run" "$(zcat "$log")"
expect_eq "content unchanged by the second client" "$(cat "$out")" "$(cat "$out")"
runs=$(cat "$WORK/one.err" "$WORK/two.err" | grep -c '^run$' || true)
expect_eq "builder ran once" 1 "$runs"
observe "path: $out"
observe "log: $(zcat "$log")"
observe "runs: $runs"
