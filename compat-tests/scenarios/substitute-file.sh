# daemon-flags: --build-users-group=guixbuild --substitute-urls=file:///tmp/subst-cache
# Substitutes from a local file:// cache, offline: a chain a <- b and a lone c are built, put in
# /tmp/subst-cache as `guix publish' would serve them (files/make-cache.scm: narinfos signed
# with a fresh key that is then authorised, uncompressed NARs), and deleted from the store.
# Then: the query RPCs (has-substitutes?, substitutable-paths, substitutable-path-info, also
# for a path the cache lacks and for e, whose narinfo is signed by a key not in the ACL),
# `guix size' of an invalid path, a build that substitutes both
# outputs (the daemon's raw stderr bytes with traces at full verbosity, and the registered
# hash/size/references/deriver), EnsurePath, a client turning substitutes off, and a cache
# entry whose NAR is gone: failure without --fallback, a local build with it; a missing .drv
# substituted before it is built.
# Normalised: the agent's progress bars (speeds), the builder's PID in @ build-started; the key
# differs per run but never reaches observed.txt.
source "$SCENARIO_DIR/lib.sh"

# The agent's progress bars (CR, ESC [K, the bar) show speeds and are redrawn a varying number
# of times: each run of them becomes one <progress>.
normalise_progress() { perl -pe 's/(\r\e\[K[^\r\n]*)+/<progress>/g'; }

# A first key signs e's narinfo and is then thrown away: it never enters the ACL.
guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key (first)"
e=$(drv '(sh-derivation "subst-e" "echo e > $out")')
e_out=$(guix build --no-substitutes "$e" 2>/dev/null) || fail "build e"
guix repl -q "$SCENARIO_DIR/files/make-cache.scm" /tmp/subst-cache "$e_out" || fail "make-cache e"
guix gc -D "$e_out" >/dev/null 2>&1 || fail "gc -D e"
rm /etc/guix/signing-key.sec /etc/guix/signing-key.pub
guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
guix archive --authorize </etc/guix/signing-key.pub || fail "--authorize"

repl <<'SCM' >"$WORK/drvs"
(define a (sh-derivation "subst-a" "echo a > $out"))
(define b (sh-derivation "subst-b"
                         (string-append "echo building b; cat " (derivation->output-path a)
                                        " > $out; echo " (derivation->output-path a) " >> $out")
                         #:inputs (list (derivation-input a))))
(define c (sh-derivation "subst-c" "echo building c; echo c > $out"))
(define d (sh-derivation "subst-d" "echo building d; echo d > $out"))
(for-each (lambda (n x) (show n (derivation-file-name x) (derivation->output-path x)))
          '("a" "b" "c" "d") (list a b c d))
SCM
cat "$WORK/drvs"
d() { awk -v k="$1" '$1==k {print $2}' "$WORK/drvs"; }
o() { awk -v k="$1" '$1==k {print $3}' "$WORK/drvs"; }
guix build --no-substitutes "$(d b)" "$(d c)" >/dev/null || fail "first build"
guix repl -q "$SCENARIO_DIR/files/make-cache.scm" /tmp/subst-cache "$(o a)" "$(o b)" "$(o c)" \
  || fail "make-cache"
# c's narinfo stays, its NAR goes: the substituter finds c but cannot fetch it.
rm /tmp/subst-cache/nar/"$(basename "$(o c)")"
guix gc -D "$(o b)" "$(o a)" "$(o c)" >/dev/null 2>&1 || fail "gc -D"
[[ ! -e $(o a) && ! -e $(o b) ]] || fail "outputs still there"

# Queries.  d was never built: nobody has it.
repl <<SCM >"$WORK/queries" 2>&1 || { cat "$WORK/queries"; fail "queries"; }
(show "has b:" (has-substitutes? %store "$(o b)"))
(show "has d:" (has-substitutes? %store "$(o d)"))
(show "has e (unauthorised signature):" (has-substitutes? %store "$e_out"))
(show "substitutable:" (substitutable-paths %store (list "$(o a)" "$(o b)" "$(o d)")))
(for-each (lambda (i)
            (show "info:" (substitutable-path i) (substitutable-deriver i)
                  (substitutable-references i) (substitutable-download-size i)
                  (substitutable-nar-size i)))
          (substitutable-path-info %store (list "$(o a)" "$(o b)" "$(o d)")))
(show "info of nothing:" (substitutable-path-info %store '()))
SCM
cat "$WORK/queries"
observe_file "$WORK/queries"
grep -qx "has b: #t" "$WORK/queries" || fail "b not substitutable"

guix size "$(o b)" >"$WORK/size" 2>&1 || { cat "$WORK/size"; fail "guix size"; }
cat "$WORK/size"
observe_file "$WORK/size"

# The build substitutes a and b: raw daemon output with traces, at full verbosity.
repl <<SCM >"$WORK/build" 2>&1 || { cat "$WORK/build"; fail "substituting build"; }
(set-build-options %store #:print-build-trace #t #:verbosity 3 #:build-verbosity 3)
(define log
  (call-with-output-string
    (lambda (port)
      (parameterize ((current-build-output-port port))
        (show "built:" (build-things %store (list "$(d b)")))))))
(display log)
(for-each (lambda (p)
            (let ((i (query-path-info %store p)))
              (show "path-info:" p (path-info-deriver i) (bytevector->nix-base32-string (path-info-hash i))
                    (path-info-nar-size i) (path-info-references i))))
          (list "$(o a)" "$(o b)"))
SCM
cat -A "$WORK/build"
normalise_progress <"$WORK/build" >"$WORK/build.norm"
observe_file "$WORK/build.norm"
expect_eq "b contents" "a|$(o a)" "$(tr '\n' '|' <"$(o b)" | sed 's/|$//')"
grep -q 'building b' "$WORK/build" && fail "b was built, not substituted"

# EnsurePath: a substitutable path, then one nobody has.
guix gc -D "$(o b)" >/dev/null 2>&1 || fail "gc -D b"
repl <<SCM >"$WORK/ensure" 2>&1 || { cat "$WORK/ensure"; fail "ensure"; }
(show "ensure b:" (try (lambda () (ensure-path %store "$(o b)"))) (valid-path? %store "$(o b)"))
(show "ensure d:" (try (lambda () (ensure-path %store "$(o d)"))))
SCM
cat "$WORK/ensure"
normalise_progress <"$WORK/ensure" >"$WORK/ensure.norm"
observe_file "$WORK/ensure.norm"

# A client without substitutes: has-substitutes? is #f and the build builds.
guix gc -D "$(o b)" >/dev/null 2>&1 || fail "gc -D b again"
repl <<SCM >"$WORK/nosubst" 2>&1 || { cat "$WORK/nosubst"; fail "no substitutes"; }
(set-build-options %store #:use-substitutes? #f #:print-build-trace #t #:verbosity 1)
(show "has b without substitutes:" (has-substitutes? %store "$(o b)"))
(show "substitute-urls:" (substitute-urls %store))
(define log
  (call-with-output-string
    (lambda (port)
      (parameterize ((current-build-output-port port))
        (show "built:" (build-things %store (list "$(d b)")))))))
(show "built b locally:" (and (string-contains log "building b") #t))
SCM
cat "$WORK/nosubst"
observe_file "$WORK/nosubst"

# c: the narinfo is there, the NAR is not.  Without --fallback the build fails ...
repl <<SCM >"$WORK/broken" 2>&1 || { cat "$WORK/broken"; fail "broken substitute"; }
(set-build-options %store #:print-build-trace #t #:verbosity 3)
(define (build-c)
  (call-with-output-string
    (lambda (port)
      (parameterize ((current-build-output-port port))
        (show "result:" (try (lambda () (build-things %store (list "$(d c)")))))))))
(display (build-c))
(show "c valid:" (valid-path? %store "$(o c)"))
SCM
cat "$WORK/broken"
observe_file "$WORK/broken"
# ... and with it, c is built.
guix build --fallback "$(d c)" >"$WORK/fallback" 2>"$WORK/fallback.err" \
  || { cat "$WORK/fallback.err"; fail "guix build --fallback"; }
cat "$WORK/fallback.err"
expect_eq "c built by fallback" "c" "$(cat "$(o c)")"
observe "fallback out: $(cat "$WORK/fallback")"
observe "fallback built c: $(grep -c 'building c' "$WORK/fallback.err")"

# A missing derivation comes from a substitute too: d's .drv is cached, deleted, then built.
guix repl -q "$SCENARIO_DIR/files/make-cache.scm" /tmp/subst-cache "$(d d)" || fail "make-cache d.drv"
guix gc -D "$(d d)" >/dev/null 2>&1 || fail "gc -D d.drv"
[[ ! -e $(d d) ]] || fail "d.drv still there"
repl <<SCM >"$WORK/drv" 2>&1 || { cat "$WORK/drv"; fail "missing derivation"; }
(set-build-options %store #:print-build-trace #t #:verbosity 3 #:build-verbosity 3)
(define log
  (call-with-output-string
    (lambda (port)
      (parameterize ((current-build-output-port port))
        (show "built:" (try (lambda () (build-things %store (list "$(d d)")))))))))
(display log)
(show "d.drv valid:" (valid-path? %store "$(d d)") "output:" (file-contents "$(o d)"))
SCM
cat "$WORK/drv"
normalise_progress <"$WORK/drv" | perl -pe 's/(@ build-started .*) \d+$/$1 <PID>/' >"$WORK/drv.norm"
observe_file "$WORK/drv.norm"
