# Limits and repetition: --timeout and --max-silent-time kill a sleeping builder (message
# and exit status; guix-daemon 1.5.0 prints a literal "%2%" in the --timeout message, and
# `guix build' exits 1 although the daemon reports status 101),
# --rounds=2 passes for a deterministic builder and fails for a non-deterministic one
# (with its message), --max-jobs=2 runs two independent sleeping builds at once.
source "$SCENARIO_DIR/lib.sh"

sleeper=$(drv '(sh-derivation "sleeper" "echo start; sleep 30; echo x > $out")')
quiet=$(drv '(sh-derivation "quiet" "sleep 30; echo x > $out")')
det=$(drv '(sh-derivation "det" "echo same > $out")')
nondet=$(drv '(sh-derivation "nondet" "echo $SRANDOM > $out")')
a=$(drv '(sh-derivation "par-a" "sleep 3; echo a > $out")')
b=$(drv '(sh-derivation "par-b" "sleep 3; echo b > $out")')

status=0
out=$(guix build --no-substitutes --timeout=2 "$sleeper" 2>&1) || status=$?
printf '%s\n' "$out"
expect_eq "timeout exit status" 1 "$status"
grep -q "timed out after" <<<"$out" || fail "no timeout message"
observe "timeout: status $status: $(grep -v '^The following derivation' <<<"$out" | tr '\n' '|')"

status=0
out=$(guix build --no-substitutes --max-silent-time=2 "$quiet" 2>&1) || status=$?
printf '%s\n' "$out"
expect_eq "silence exit status" 1 "$status"
grep -q "timed out after 2 seconds of silence" <<<"$out" || fail "no silence message"
observe "silence: status $status: $(grep -v '^The following derivation' <<<"$out" | tr '\n' '|')"

out=$(guix build --no-substitutes --rounds=2 "$det" 2>&1) || fail "--rounds=2 of a deterministic build"
printf '%s\n' "$out"
observe "rounds-det: $(grep -v '^The following derivation' <<<"$out" | tr '\n' '|')"
observe "rounds-det-valid: $(guix gc --references "$(guix build "$det")" | wc -l)"

status=0
out=$(guix build --no-substitutes --rounds=2 "$nondet" 2>&1) || status=$?
printf '%s\n' "$out"
expect_eq "non-deterministic rounds exit status" 1 "$status"
grep -q "differs from previous round" <<<"$out" || fail "no 'differs from previous round'"
observe "rounds-nondet: status $status: $(grep -v '^The following derivation' <<<"$out" | tr '\n' '|')"

start=$(date +%s.%N)
guix build --no-substitutes --max-jobs=2 "$a" "$b" >"$WORK/par" 2>&1 || { cat "$WORK/par"; fail "parallel build"; }
end=$(date +%s.%N)
elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
echo "two 3 s builds with --max-jobs=2: ${elapsed}s"
awk -v t="$elapsed" 'BEGIN { exit !(t < 5.5) }' || fail "--max-jobs=2 did not run the builds in parallel (${elapsed}s)"
# Which of the two finishes last ("The following build is still in progress") is a race.
observe "parallel: $(grep -E '^(building|successfully|/gnu)' "$WORK/par" | sort | tr '\n' '|')"
