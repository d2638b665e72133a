# daemon-flags: --build-users-group=guixbuild --no-substitutes --disable-chroot
# --disable-chroot (mode D, build-environment.md §1): builders are plain children of the
# daemon, as a build user, in the host's namespaces and file system, in the real build
# directory $TMPDIR/guix-build-NAME.drv-N (no top/ level), and write their outputs
# straight into the store.  The builder reports its ids, cwd and its mode, environment,
# session, stdin, what it sees of the host (the store database, /tmp) and its namespaces
# (compared with the scenario's own, which are the daemon's, then not recorded); the
# report, the output's metadata, a failed build kept with -K, and the logs go to
# observed.txt, and --check and --repair (which guix-daemon redirects).  Normalised: the
# builder's PID (there is no PID namespace).
source "$SCENARIO_DIR/lib.sh"

echo "host file" >/tmp/host-file
chmod 644 /tmp/host-file
d=$(drv '(sh-derivation "plain-report" "
  echo \"id: $(id)\"
  echo \"pwd: $(pwd) $(stat -c %a:%U:%G .)\"
  echo \"ls: $(ls -a | tr \"\\n\" \" \")\"
  [ $$ = $(cut -d\" \" -f6 /proc/$$/stat) ] && echo \"session: own\" || echo \"session: inherited\"
  echo \"stdin: $(readlink /proc/$$/fd/0)\"
  echo \"oom: $(cat /proc/$$/oom_score_adj)\"
  echo \"pid: $$\"
  echo \"ns: $(readlink /proc/$$/ns/net) $(readlink /proc/$$/ns/mnt) $(readlink /proc/$$/ns/pid) $(readlink /proc/$$/ns/uts)\"
  echo \"hostname: $(hostname)\"
  echo \"host file: $(cat /tmp/host-file)\"
  [ -e /var/guix/db/db.sqlite ] && echo \"store db: visible\" || echo \"store db: hidden\"
  echo \"touch db: $(touch /var/guix/db/x 2>&1 && echo yes || echo no)\"
  export -p | grep -v -e \" PWD=\" -e \" OLDPWD=\" -e \" SHLVL=\" | sort
  echo report > $out.tmp; mv $out.tmp $out; cat $out >/dev/null
  echo written
" #:env-vars (quote (("custom" . "a value"))))')
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"
expect_eq "output" "report" "$(cat "$out")"
observe "out: $out $(stat -c '%a %U %G' "$out")"
log=$(guix build --log-file "$d")
zcat "$log" | tee "$WORK/report"
own_ns="$(readlink /proc/self/ns/net) $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/uts)"
expect_eq "host namespaces" "ns: $own_ns" "$(grep '^ns:' "$WORK/report")"
observe_file <(grep -v '^ns:' "$WORK/report" | sed -E 's/^pid: [0-9]+$/pid: <PID>/')
observe "stderr: $(grep -v -e '^\s*$' -e '^ns:' "$WORK/err" | sed -E -e 's/[a-z0-9]{32}-/HASH-/g' -e 's/^pid: [0-9]+$/pid: <PID>/' \
  | tr '\n' '|')"
observe "references: $(repl <<<"(show (references %store \"$out\"))")"

# A failing build kept with -K: no top/ level; the client (root) gets nothing re-owned.
d=$(drv '(sh-derivation "plain-fail" "echo kept > file; mkdir -p $out; echo partial > $out/x; exit 3")')
status=0
guix build --no-substitutes -K "$d" >"$WORK/out" 2>"$WORK/err" || status=$?
cat "$WORK/err"
observe "fail: status $status: $(grep -v -e '^\s*$' -e 'following derivation' -e '^   /gnu' "$WORK/err" | sed -E 's/[a-z0-9]{32}-/HASH-/g' | tr '\n' '|')"
observe "kept: $(stat -c '%a %U %G' /tmp/guix-build-plain-fail.drv-0) $(cd /tmp/guix-build-plain-fail.drv-0 && ls -ln | tail -n +2 | awk '{print $1, $3, $4, $NF}' | tr '\n' ' ')"
failed_out=$(repl <<<"(show (derivation-output-path (assoc-ref (derivation-outputs (read-derivation-from-file \"$d\")) \"out\")))")
observe "failed output in store: $( [ -e "$failed_out" ] && stat -c '%a %U %G' "$failed_out" "$failed_out/x" | tr '\n' ' ' || echo none) valid: $(repl <<<"(show (valid-path? %store \"$failed_out\"))")"

# --check and --repair without a chroot: guix-daemon redirects the valid output but does not
# rewrite the builder's environment, so the builder still sees the real (valid, read-only)
# $out.  Observed: status, stderr and what is left in the store.
d=$(drv '(sh-derivation "plain-again" "echo again > $out")')
out=$(guix build --no-substitutes "$d" 2>/dev/null) || fail "guix build plain-again"
for mode in check repair; do
  [[ $mode == repair ]] && { chmod u+w "$out"; echo corrupt >"$out"; chmod a-w "$out"; }
  status=0
  guix build --no-substitutes --$mode "$d" >"$WORK/out" 2>"$WORK/err" || status=$?
  cat "$WORK/err"
  observe "$mode: status $status: $(grep -v -e '^\s*$' "$WORK/err" | sed -E 's/[a-z0-9]{32}-/HASH-/g' | tr '\n' '|')"
  observe "$mode: out: $(cat "$out") $(stat -c '%a %U' "$out"), store: $(ls /gnu/store | grep -- '-plain-again' | sed -E 's/^[a-z0-9]{32}-/HASH-/' | sort | tr '\n' ' ')"
done
