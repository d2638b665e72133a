# daemon-flags: --no-substitutes
# daemon-launch: no-user-namespaces
# A daemon whose builds need a user namespace (here root without build users, mode N; an
# unprivileged daemon takes the same path) on a system where none can be created: the build
# fails with the clone error, the daemon keeps serving. guix-daemon says only "clone: No space
# left on device"; jguix adds what it means and how to fix it, so only the failure, the clone
# error and the daemon's state afterwards are compared.
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "needs-userns" "echo hi > $out")')
status=0
out=$(guix build --no-substitutes "$d" 2>&1) || status=$?
printf '%s\n' "$out"
observe "status: $status"
observe "error: $(grep -o 'clone: No space left on device' <<<"$out" | head -n 1)"
observe "still serving: $(repl <<<'(show (valid-path? %store (add-text-to-store %store "after" "x")))')"
