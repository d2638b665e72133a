# A client that goes away in the middle of a build: the daemon kills the builder (nothing
# of it keeps running) and registers nothing; "leftovers" counts the chroot and output
# entries (guix-daemon leaves the output's .lock file).
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "hangup" "echo started; sleep 17; echo done > $out")')
out=$(repl <<<"(display (derivation->output-path (read-derivation-from-file \"$d\")))")
guix build --no-substitutes "$d" >"$WORK/client" 2>&1 &
client=$!
for _ in $(seq 100); do grep -q '^started' "$WORK/client" && break; sleep 0.1; done
grep -q '^started' "$WORK/client" || { cat "$WORK/client"; fail "the builder did not start"; }
pgrep -f 'sleep 17' >/dev/null || fail "no builder process while building"
kill -9 "$client"
wait "$client" 2>/dev/null || true
gone=no
for _ in $(seq 100); do pgrep -f 'sleep 17' >/dev/null || { gone=yes; break; }; sleep 0.1; done
expect_eq "builder killed after the client left" yes "$gone"
observe "builder killed: $gone"
sleep 1
valid=$(repl <<<"(display (valid-path? %store \"$out\"))")
expect_eq "output not valid" "#f" "$valid"
observe "valid: $valid"
observe "leftovers: $(ls /gnu/store | grep -c -e '\.chroot$' -e "${out#/gnu/store/}" || true)"
