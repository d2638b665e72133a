# daemon-prlimit: --nofile=1024:4096
# Resource limits of builders: guix-daemon's builders inherit the daemon's own limits.
# Both daemons are started with a soft open-files limit below the hard one (a JVM raises
# its soft limit to the hard one unless told not to); the builder reports `ulimit -S -a'
# and `ulimit -H -a'.  The whole report is observed.
source "$SCENARIO_DIR/lib.sh"

d=$(drv '(sh-derivation "limits" "{ echo soft; ulimit -S -a; echo hard; ulimit -H -a; } > $out")')
out=$(guix build --no-substitutes "$d") || fail "guix build"
cat "$out"
expect_match "soft open files" "open files +\(-n\) 1024" "$(cat "$out")"
observe_file "$out"
