# Smaller RPCs as the client library uses them: query-path-hash, hash-part->path,
# find-roots,
# built-in builders, substitutes with --no-substitutes, ensure-path, query-failed-paths,
# set-build-options, add-indirect-root and the temp roots a connection holds during
# a concurrent `guix gc'.  Results go to observed.txt.
source "$SCENARIO_DIR/lib.sh"

repl <<SCM | tee "$WORK/out"
(define a (add-text-to-store %store "a" "a\n"))
(define missing "/gnu/store/00000000000000000000000000000000-missing")
(show "query-path-hash" (bytevector->nix-base32-string (query-path-hash %store a)))
(show "hash-part->path" (hash-part->path %store (string-take (string-drop a 11) 32)))
(show "hash-part->path-missing" (hash-part->path %store "00000000000000000000000000000000"))
(show "valid-path?" (valid-path? %store a) (valid-path? %store missing))
(show "built-in-builders" (built-in-builders %store))
(show "has-substitutes?" (has-substitutes? %store a))
(show "substitutable-paths" (substitutable-paths %store (list a missing)))
(show "ensure-path" (ensure-path %store a))
(show "ensure-path-missing" (try (lambda () (ensure-path %store missing))))
(show "query-failed-paths" (query-failed-paths %store))
(show "set-build-options" (begin (set-build-options %store #:keep-failed? #t #:max-silent-time 60
                                                    #:timeout 600 #:verbosity 2 #:use-substitutes? #f)
                                 'ok))
(show "valid-derivers-of-source" (valid-derivers %store a))
(show "query-derivation-outputs-of-source" (try (lambda () (query-derivation-outputs %store a))))

;; Indirect root: a symlink outside the store registered through the daemon.
(define b (add-text-to-store %store "b" "b\n"))
(define link "$WORK/root-to-b")
(symlink b link)
(add-indirect-root %store link)
(show "indirect-root-registered" (not (not (member link (map car (find-roots %store))))))

;; Temp roots: items added on this still-open connection survive a gc run from
;; another process; the unprotected one (added by an already-closed connection) not.
(define c (add-text-to-store %store "c" "c\n"))
(define d (with-store other (add-text-to-store other "d" "d\n")))
(show "gc-exit" (status:exit-val (system* "guix" "gc")))
(show "after-gc" (valid-path? %store a) (valid-path? %store b) (valid-path? %store c) (valid-path? %store d))
SCM
grep -qx "hash-part->path /gnu/store/.*-a" "$WORK/out" || fail "hash-part->path"
grep -qx "indirect-root-registered #t" "$WORK/out" || fail "indirect root"
grep -qx "gc-exit 0" "$WORK/out" || fail "guix gc"
# a, c: temp roots of this connection; b: indirect root; d: temp root of a closed
# connection, hence garbage.
expect_eq "after gc" "after-gc #t #t #t #f" "$(grep ^after-gc "$WORK/out")"
observe_file "$WORK/out"
