# A build's .drv is a temp root from the moment the build is asked for, even when it turns out
# not to be valid (build.cc: the DerivationGoal constructor adds it; DerivationGoal::init then
# checks validity).  An unregistered file at a .drv path in the store is asked to be built on
# connection A (it fails: "cannot build missing derivation"); while A stays open, connection B
# lists it as live and its collection keeps it; once A is closed B's collection deletes it.
# observed.txt: the error and the three outcomes.  (Before, jguix checked validity first and
# never rooted the missing .drv, so B's first collection deleted it.)
source "$SCENARIO_DIR/lib.sh"

drv=/gnu/store/0123456789abcdfghijklmnpqrsvwxyz-missing.drv
printf 'not registered\n' >"$drv"
out=$(repl <<SCM
(define a (open-connection))
(define b (open-connection))
(show "build:" (try (lambda () (build-things a (list "$drv")))))
(show "live while A is open:" (and (member "$drv" (live-paths b)) #t))
(collect-garbage b)
(show "kept by B's collection:" (file-exists? "$drv"))
(close-connection a)
(sleep 1) ; the daemon drops A's roots when it sees the hang-up, not before close returns
(collect-garbage b)
(show "after A closed:" (file-exists? "$drv"))
SCM
) || fail "repl"
printf '%s\n' "$out"
observe "$out"
expect_match "kept while A is open" "kept by B's collection: #t" "$out"
expect_match "deleted once A closed" "after A closed: #f" "$out"
