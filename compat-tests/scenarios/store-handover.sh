# One store, two daemons: what the harness's daemon wrote (paths with references, a build
# with its deriver and a `guix build -r' root, a garbage collection that deleted a dead
# path) is served unchanged by the other daemon started on the same store and database
# afterwards: under the real daemon's run jguix takes over, under jguix's run the real
# guix-daemon does, so the two runs cover both directions (issue #4's "database written by
# one daemon opened by the other", issue #6's "a store garbage-collected by one daemon then
# served by the other"). The second daemon then verifies the contents, collects garbage
# itself and keeps serving. Everything the second daemon answers goes to observed.txt.
source "$SCENARIO_DIR/lib.sh"

if pgrep -x guix-daemon >/dev/null; then
  first=real second=(/jguix/jguix-daemon --build-users-group=guixbuild --no-substitutes)
  stop_first() { pkill -TERM -x guix-daemon; }
  first_running() { pgrep -x guix-daemon >/dev/null; }
else
  first=jguix second=(guix-daemon --build-users-group=guixbuild --no-substitutes)
  stop_first() { pkill -TERM -f org.jguix.daemon.DaemonMain; }
  first_running() { pgrep -f org.jguix.daemon.DaemonMain >/dev/null; }
fi
note "first daemon: $first; second: ${second[0]}"

repl <<'SCM' >"$WORK/paths" || fail "populate the store"
(define base (add-text-to-store %store "base" "the base\n"))
(define top (add-text-to-store %store "top" (string-append "refers to " base "\n") (list base)))
(define dead (add-text-to-store %store "dead" "nobody keeps me\n"))
(define built (sh-derivation "built" "echo $base > $out" #:sources (list base)
                             #:env-vars `(("base" . ,base))))
(show "base" base)
(show "top" top)
(show "dead" dead)
(show "built-drv" (derivation-file-name built))
(show "built" (derivation->output-path built))
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }
mkdir -p "$WORK/roots"
guix build --no-substitutes -r "$WORK/roots/built" "$(p built-drv)" >/dev/null 2>&1 || fail "build with -r"
repl <<SCM || fail "indirect root for top"
(add-indirect-root %store "$WORK/roots/top")
SCM
ln -sfn "$(p top)" "$WORK/roots/top"
guix gc -d "$(p dead)" >"$WORK/gc1" 2>&1 || { cat "$WORK/gc1"; fail "first daemon: delete dead path"; }

stop_first
for _ in $(seq 100); do first_running || break; sleep 0.1; done
! first_running || fail "the first daemon did not stop"
rm -f "$SOCKET"   # neither daemon removes its socket file on exit
"${second[@]}" >"$WORK/second.log" 2>&1 </dev/null &
wait_for_socket "$SOCKET" 60 $! || { cat "$WORK/second.log"; fail "second daemon did not start"; }

repl <<SCM | tee "$WORK/second" || fail "queries through the second daemon"
(define (p key) (assoc-ref '(("base" . "$(p "base")") ("top" . "$(p "top")") ("dead" . "$(p "dead")")
                             ("built-drv" . "$(p "built-drv")") ("built" . "$(p "built")"))
                           key))
(for-each (lambda (k) (show k "valid" (valid-path? %store (p k))))
          '("base" "top" "dead" "built-drv" "built"))
(show "top references" (references %store (p "top")))
(show "base referrers" (sort (referrers %store (p "base")) string<?))
(show "built deriver" (path-info-deriver (query-path-info %store (p "built"))))
(show "built valid derivers" (valid-derivers %store (p "built")))
(show "built narsize" (path-info-nar-size (query-path-info %store (p "built"))))
(show "top hash" (bytevector->nix-base32-string (path-info-hash (query-path-info %store (p "top")))))
(show "roots" (sort (map car (find-roots %store)) string<?))
(define again (add-text-to-store %store "top" (string-append "refers to " (p "base") "\n") (list (p "base"))))
(show "re-add top" (string=? again (p "top")))
(show "new" (add-text-to-store %store "new" "added by the second daemon\n"))
SCM
observe_file "$WORK/second"
out=$(guix gc --verify=contents 2>&1) || { printf '%s\n' "$out"; fail "second daemon: verify contents"; }
observe "verify: $(tr '\n' '|' <<<"$out")"
dead_now=$(guix gc --list-dead 2>/dev/null | sort | tr '\n' ' ')
observe "dead under the second daemon: $dead_now"
guix gc >"$WORK/gc2" 2>&1 || { cat "$WORK/gc2"; fail "second daemon: collect garbage"; }
observe "after gc: base $(guix gc --list-live | grep -c -- "-base$") built $(test -e "$(p built)" && echo present)"
