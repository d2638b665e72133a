# What a builder sees: identity, environment, file system, devices, users, network
# names, limits, mounts and process status inside the build sandbox.  The builder (bash
# builtins first, then busybox applets) writes a report into $out; it goes to
# observed.txt, so any difference between daemons shows.  Normalised: mount IDs and
# device numbers in mountinfo (they vary with the host, not with the daemon), the
# runner's scratch directory name in mount sources, NSpid, the PID of /proc/self and
# how many PIDs /proc shows (they vary with the run).  The builder's own PID ($$) is
# kept: both daemons run builders in a fresh PID namespace, so it is deterministic.
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "env-report" (file-contents "'"$SCENARIO_DIR"'/files/build-environment-builder.bash")
                        #:path? #f
                        #:env-vars (quote (("custom" . "a value") ("with_space" . "x y"))))')
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build"; }
cat "$out"
grep -q '^== end' "$out" || fail "report incomplete"

# Sanity checks of what every real builder environment has.
grep -qx 'declare -x out="'"$out"'"' "$out" || fail "out not in environment"
grep -qx 'declare -x NIX_STORE="/gnu/store"' "$out" || fail "NIX_STORE"
grep -qx 'declare -x HOME="/homeless-shelter"' "$out" || fail "HOME"
grep -qx 'pwd: /tmp/guix-build-env-report.drv-0' "$out" || fail "pwd"

sed -E -e 's/^([0-9]+) ([0-9]+) ([0-9]+):([0-9]+) /<ID> <PARENT> <DEV> /' \
    -e 's|/tmp/jguix-scenario\.[A-Za-z0-9]+/|<SCRATCH>/|g' \
    -e 's/^(NSpid:\t).*/\1<PID>/' -e 's/^proc: [0-9]+ pids visible, self: [0-9]+$/proc: <N> pids visible, self: <PID>/' \
    "$out" >>"$OBSERVED"
