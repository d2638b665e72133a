# daemon-flags: --no-substitutes
# daemon-user: guix-daemon
# An unprivileged daemon (mode U) end to end: who owns what it puts in the store, a chain of
# builds, a failing build kept with -K (who owns the kept tree), a fixed-output build
# (network namespace and slirp4netns without root), a --check rebuild, and GC. Ownership,
# paths, messages and exit codes go to observed.txt.
source "$SCENARIO_DIR/lib.sh"
normalise_pid() { sed -E 's/^killing process [0-9]+$/killing process <PID>/'; }

d1=$(drv '(sh-derivation "first" "id > $out; cat /proc/self/uid_map /proc/self/gid_map >> $out")')
out1=$(guix build --no-substitutes "$d1" 2>"$WORK/err") || { cat "$WORK/err"; fail "build first"; }
observe "first: $(tr '\n' '|' <"$out1")"
observe "owner of output: $(stat -c '%U:%G %a' "$out1"), of store: $(stat -c '%U:%G %a' /gnu/store)"
observe "owner of db: $(stat -c '%U:%G' /var/guix/db/db.sqlite), of log dir: $(stat -c '%U:%G' /var/log/guix/drvs 2>/dev/null)"

d2=$(drv '(sh-derivation "second" "cat $first > $out; echo more >> $out"
           #:inputs (list (derivation-input (read-derivation-from-file "'"$d1"'")))
           #:env-vars (list (cons "first" "'"$out1"'")))')
out2=$(guix build --no-substitutes "$d2" 2>"$WORK/err") || { cat "$WORK/err"; fail "build second"; }
observe "second: $(tail -n 1 "$out2") refs: $(guix gc --references "$out2" | tr '\n' ' ')"

df=$(drv '(sh-derivation "fails" "echo partial > partial; exit 3")')
expect_fail "failing build" guix build --no-substitutes -K "$df"
observe "fails: $(normalise_pid <<<"$LAST_OUTPUT" | grep -v '^The following' | tr '\n' '|')"
kept=/tmp/guix-build-fails.drv-0
observe "kept: $(stat -c '%U:%G %a' "$kept" 2>&1) partial=$(cat "$kept/partial" 2>&1 || cat "$kept/top/partial" 2>&1)"

dfod=$(drv '(sh-derivation "fod" "echo fixed > $out" #:hash (sha256 (string->utf8 "fixed\n")) #:hash-algo (quote sha256))')
if setpriv --reuid guix-daemon --regid guix-daemon --init-groups test -r /dev/net/tun -a -w /dev/net/tun; then
  outf=$(guix build --no-substitutes "$dfod" 2>"$WORK/err") || { cat "$WORK/err"; fail "build fod"; }
  observe "fod: $(cat "$outf") stderr: $(normalise_pid <"$WORK/err" | tr '\n' '|')"
else
  # The host's /dev/net/tun is root-only (0600; most systems have 0666), so slirp4netns cannot
  # get a tap device. guix-daemon 1.5.0 then dies ("unexpected build daemon error:
  # std::exception", the client reads "corrupt input while restoring archive"); jguix reports
  # "in phase setupTap: opening `/dev/net/tun': Permission denied". Only the failure is compared.
  status=0
  guix build --no-substitutes "$dfod" >"$WORK/err" 2>&1 || status=$?
  cat "$WORK/err"
  observe "fod without access to /dev/net/tun: exit $status"
fi

guix build --no-substitutes --check "$d1" >"$WORK/check" 2>&1 || { cat "$WORK/check"; fail "--check"; }
observe "check: $(grep -v '^The following' "$WORK/check" | tr '\n' '|')"

guix gc -d "$out2" >"$WORK/gc" 2>&1 || { cat "$WORK/gc"; fail "gc -d"; }
observe "after delete: $(test -e "$out2" && echo present || echo gone)"
