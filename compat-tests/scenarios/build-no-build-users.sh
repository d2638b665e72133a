# daemon-flags: --no-substitutes
# A root daemon without --build-users-group (mode N): it warns at start-up, and builds run
# as root mapped to uid 30001 in a user namespace (what `id' and the id maps say inside goes
# to observed.txt, with the messages).
source "$SCENARIO_DIR/lib.sh"

grep -m1 'warning:' "$RESULT_DIR/daemon.log" | tee "$WORK/warning"
observe "daemon: $(cat "$WORK/warning")"
d=$(drv '(sh-derivation "userns" "id > $out; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups >> $out")')
status=0
out=$(guix build --no-substitutes "$d" 2>&1) || status=$?
printf '%s\n' "$out"
observe "status: $status"
# guix-daemon kills the half-started builder ("killing process PID"); the PID varies.
observe "build: $(grep -v '^The following derivation' <<<"$out" | sed -E 's/^killing process [0-9]+$/killing process <PID>/' | tr '\n' '|')"
[[ $status != 0 ]] || observe "inside: $(tr '\n' '|' <"$(tail -n 1 <<<"$out")")"
