# `guix build --check': rebuilding a deterministic derivation succeeds and leaves the
# output as it was; a non-deterministic one ($SRANDOM in the output) fails with the real
# daemon's message, and with --keep-failed the differing rebuild is kept as OUT-check
# (guix-daemon 1.5.0's name; the message then says "differs from `OUT-check'").
# The random number is normalised in observed.txt.
source "$SCENARIO_DIR/lib.sh"

det=$(drv '(sh-derivation "det" "echo same every time > $out")')
nondet=$(drv '(sh-derivation "nondet" "echo $SRANDOM$SRANDOM > $out")')
detout=$(guix build --no-substitutes "$det" 2>/dev/null) || fail "build det"
ndout=$(guix build --no-substitutes "$nondet" 2>/dev/null) || fail "build nondet"
first=$(cat "$ndout")

guix build --no-substitutes --check "$det" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; fail "--check det"; }
cat "$WORK/err"
expect_eq "--check det output" "$detout" "$(cat "$WORK/out")"
observe "det: stderr: $(tr '\n' '|' <"$WORK/err")"

expect_fail "--check nondet" guix build --no-substitutes --check "$nondet"
printf '%s\n' "$LAST_OUTPUT"
grep -qF "derivation \`$nondet' may not be deterministic: output \`$ndout' differs" <<<"$LAST_OUTPUT" \
  || fail "no 'may not be deterministic' message"
observe "nondet: $(tr '\n' '|' <<<"$LAST_OUTPUT")"
expect_eq "output unchanged" "$first" "$(cat "$ndout")"

expect_fail "--check --keep-failed nondet" guix build --no-substitutes --check --keep-failed "$nondet"
printf '%s\n' "$LAST_OUTPUT"
[[ -f $ndout-check ]] || fail "no $ndout-check"
[[ $(cat "$ndout-check") != "$first" ]] || fail "-check has the same contents"
observe "keep-failed: $(sed -E "s/[0-9]{5,}/<RANDOM>/g" <<<"$LAST_OUTPUT" | tr '\n' '|')"
observe "check-file: $(stat -c '%a %U:%G' "$ndout-check")"
