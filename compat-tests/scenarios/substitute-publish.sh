# daemon-flags: --build-users-group=guixbuild
# Substitutes from a real `guix publish' on 127.0.0.1 serving another store: a second, real
# guix-daemon runs in a private mount namespace with its own /gnu/store, /var/guix and
# /var/log/guix (bind mounts over the run's own), guix publish serves it on a free port, and
# both sign with the one key, which is authorised.  The daemon under test gets the URL only
# from its client (the substitute-urls option of a trusted client: set-build-options and
# guix build/size --substitute-urls).  The same derivations are made in both stores; a and b
# are built in the other one only.  Observed: the queries, guix size, guix build's output
# (which items it substitutes, the client's own lines; the agents' progress bars normalised),
# the registered path info, and c: known to the server when queried, deleted there before
# the download, so the build fails without --fallback and is built locally with it; an
# untrusted client's substitute-urls (see below).
# Normalised: the port (<PORT>), progress bars and speeds, and the query agent's "looking for
# substitutes" progress line (how guix-daemon cuts it at \r depends on how its writes were read).
source "$SCENARIO_DIR/lib.sh"

normalise() {
  perl -pe 'if (/looking for substitutes on/) { s/(?<!guix )substitute: |\r//g;
              s/(\e\[Klooking for substitutes on [^%]*%)+/<looking>/g; }
            s/(\r\e\[K[^\r\n]*)+/<progress>/g; s/127\.0\.0\.1:(?!9\b)\d+/127.0.0.1:<PORT>/g;
            s/\d+(\.\d+)? ?[KMG]?i?B\/s/<SPEED>/g'
}

guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
guix archive --authorize </etc/guix/signing-key.pub || fail "--authorize"

other=/tmp/other
mkdir -p $other/store $other/var $other/log
port=$((20000 + RANDOM % 20000))
# The other store, its daemon and guix publish; they die with the run (PID namespace).
unshare -m --propagation private bash -c "
  mount --bind $other/store /gnu/store && mount --bind $other/var /var/guix &&
  mount --bind $other/log /var/log/guix || exit 1
  guix-daemon --build-users-group=guixbuild --no-substitutes --listen=$other/socket \
    >$other/daemon.log 2>&1 &
  for i in \$(seq 100); do [ -S $other/socket ] && break; sleep 0.1; done
  GUIX_DAEMON_SOCKET=$other/socket exec guix publish --listen=127.0.0.1 --port=$port \
    >$other/publish.log 2>&1" &
url=http://127.0.0.1:$port
for i in $(seq 100); do grep -q 'publishing /gnu/store' $other/publish.log 2>/dev/null && break; sleep 0.2; done
grep -q 'publishing /gnu/store' $other/publish.log || { cat $other/*.log; fail "guix publish did not start"; }

make_drvs() {
  repl <<'SCM'
(define a (sh-derivation "pub-a" "echo a > $out"))
(define b (sh-derivation "pub-b"
                         (string-append "echo building b; cat " (derivation->output-path a)
                                        " > $out; echo " (derivation->output-path a) " >> $out")
                         #:inputs (list (derivation-input a))))
(define c (sh-derivation "pub-c" "echo building c; echo c > $out"))
(for-each (lambda (n x) (show n (derivation-file-name x) (derivation->output-path x)))
          '("a" "b" "c") (list a b c))
SCM
}
GUIX_DAEMON_SOCKET=$other/socket make_drvs >"$WORK/drvs.other" || fail "drvs in the other store"
make_drvs >"$WORK/drvs" || fail "drvs"
cmp "$WORK/drvs" "$WORK/drvs.other" || fail "the stores disagree on the derivations"
cat "$WORK/drvs"
d() { awk -v k="$1" '$1==k {print $2}' "$WORK/drvs"; }
o() { awk -v k="$1" '$1==k {print $3}' "$WORK/drvs"; }
GUIX_DAEMON_SOCKET=$other/socket guix build --no-substitutes "$(d b)" "$(d c)" >/dev/null \
  || fail "build in the other store"
[[ ! -e $(o b) ]] || fail "b built in the store under test"

repl <<SCM >"$WORK/queries" 2>&1 || { cat "$WORK/queries"; fail "queries"; }
(set-build-options %store #:substitute-urls (list "$url"))
(show "urls:" (substitute-urls %store))
(show "substitutable:" (substitutable-paths %store (list "$(o a)" "$(o b)" "$(o c)")))
(for-each (lambda (i)
            (show "info:" (substitutable-path i) (substitutable-deriver i)
                  (substitutable-references i) (substitutable-nar-size i)))
          (substitutable-path-info %store (list "$(o a)" "$(o b)" "$(o c)")))
SCM
cat "$WORK/queries"
normalise <"$WORK/queries" >"$WORK/queries.norm"
observe_file "$WORK/queries.norm"
grep -q "^substitutable: .*pub-b" "$WORK/queries" || fail "b not substitutable"

guix size --substitute-urls="$url" "$(o b)" >"$WORK/size" 2>&1 || { cat "$WORK/size"; fail "guix size"; }
cat "$WORK/size"
normalise <"$WORK/size" >"$WORK/size.norm"
observe_file "$WORK/size.norm"

guix build --substitute-urls="$url" "$(d b)" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; fail "guix build"; }
cat -A "$WORK/err"
grep -q 'building b' "$WORK/err" && fail "b was built, not substituted"
expect_eq "b contents" "a|$(o a)" "$(tr '\n' '|' <"$(o b)" | sed 's/|$//')"
observe "out: $(cat "$WORK/out")"
normalise <"$WORK/err" >"$WORK/err.norm"
observe_file "$WORK/err.norm"
repl <<SCM >"$WORK/info"
(for-each (lambda (p)
            (let ((i (query-path-info %store p)))
              (show "path-info:" p (path-info-deriver i) (bytevector->nix-base32-string (path-info-hash i))
                    (path-info-nar-size i) (path-info-references i))))
          (list "$(o a)" "$(o b)"))
SCM
observe_file "$WORK/info"

# c: the substituter has seen it (cached narinfo); then the server loses it.
GUIX_DAEMON_SOCKET=$other/socket guix gc -D "$(o c)" >/dev/null 2>&1 || fail "delete c over there"
guix build --substitute-urls="$url" "$(d c)" >"$WORK/c.out" 2>"$WORK/c.err" && fail "c without --fallback"
cat "$WORK/c.err"
normalise <"$WORK/c.err" >"$WORK/c.norm"
observe_file "$WORK/c.norm"
guix build --fallback --substitute-urls="$url" "$(d c)" >"$WORK/c.out" 2>"$WORK/c.err" \
  || { cat "$WORK/c.err"; fail "c with --fallback"; }
cat "$WORK/c.err"
expect_eq "c built by fallback" "c" "$(cat "$(o c)")"
normalise <"$WORK/c.err" >"$WORK/c.norm"
observe_file "$WORK/c.norm"

# An untrusted client (a build user, not root): its substitute-urls become
# untrusted-substitute-urls, which guix substitute prefers.  The query agent starts with the
# settings of the connection's first query and keeps them: the second URL of the first
# connection is not seen; a new connection with an unreachable URL gets the agent's
# connection-refused messages (cut at \r and \n, prefixed).
u=/tmp/untrusted
mkdir -p $u && chmod 777 $u
untrusted() {
  cat >$u/q.scm
  HOME=$u setpriv --reuid=guixbuilder10 --regid=guixbuild --clear-groups guix repl -q $u/q.scm 2>&1
}
untrusted <<SCM >"$WORK/untrusted" || { cat "$WORK/untrusted"; fail "untrusted client"; }
(use-modules (guix store))
(define s (open-connection))
(set-build-options s #:substitute-urls (list "$url"))
(format #t "untrusted urls: ~a~%" (substitute-urls s))
(format #t "untrusted substitutable: ~a~%" (substitutable-paths s (list "$(o a)" "$(o b)")))
(set-build-options s #:substitute-urls (list "http://127.0.0.1:9"))
(format #t "urls now: ~a~%" (substitute-urls s))
(format #t "still the first agent: ~a~%" (has-substitutes? s "$(o b)"))
SCM
untrusted <<SCM >>"$WORK/untrusted" || { cat "$WORK/untrusted"; fail "untrusted client, refused"; }
(use-modules (guix store))
(define s (open-connection))
(set-build-options s #:substitute-urls (list "http://127.0.0.1:9"))
(format #t "refused: ~a~%" (has-substitutes? s "$(o b)"))
SCM
cat -A "$WORK/untrusted"
normalise <"$WORK/untrusted" >"$WORK/untrusted.norm"
observe_file "$WORK/untrusted.norm"
grep -q "^still the first agent: #t" "$WORK/untrusted" || fail "the query agent restarted"
