# daemon-flags: --build-users-group=guixbuild --substitute-urls=file:///tmp/subst-cache
# daemon-env: GUIX_ALLOW_UNAUTHENTICATED_SUBSTITUTES=yes
# The daemon's environment reaches its substituter: with GUIX_ALLOW_UNAUTHENTICATED_SUBSTITUTES
# set for the daemon (and no signing key or ACL at all), narinfos without a signature from a
# file:// cache are accepted.  An item is built, cached unsigned, deleted, queried and
# substituted by guix build.  Observed: the queries and guix build's output (progress bars
# normalised) and the registered path info.
source "$SCENARIO_DIR/lib.sh"

normalise_progress() { perl -pe 's/(\r\e\[K[^\r\n]*)+/<progress>/g'; }

x=$(drv '(sh-derivation "unsigned-x" "echo building x; echo x > $out")')
out=$(guix build --no-substitutes "$x" 2>/dev/null) || fail "first build"
guix repl -q -- "$SCENARIO_DIR/files/make-cache.scm" --unsigned /tmp/subst-cache "$out" || fail "make-cache"
grep -q '^Signature' /tmp/subst-cache/*.narinfo && fail "the narinfo is signed"
guix gc -D "$out" >/dev/null 2>&1 || fail "gc -D"
[[ ! -e /etc/guix/acl ]] || fail "an ACL exists"

repl <<SCM >"$WORK/queries" 2>&1 || { cat "$WORK/queries"; fail "queries"; }
(show "has:" (has-substitutes? %store "$out"))
(show "info:" (map substitutable-path (substitutable-path-info %store (list "$out"))))
SCM
cat "$WORK/queries"
observe_file "$WORK/queries"
grep -qx "has: #t" "$WORK/queries" || fail "not substitutable"

guix build "$x" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"
grep -q 'building x' "$WORK/err" && fail "built, not substituted"
expect_eq "contents" "x" "$(cat "$out")"
observe "out: $(cat "$WORK/out")"
normalise_progress <"$WORK/err" >"$WORK/err.norm"
observe_file "$WORK/err.norm"
repl <<SCM >"$WORK/info"
(let ((i (query-path-info %store "$out")))
  (show "path-info:" (path-info-deriver i) (bytevector->nix-base32-string (path-info-hash i))
        (path-info-nar-size i) (path-info-references i)))
SCM
observe_file "$WORK/info"
