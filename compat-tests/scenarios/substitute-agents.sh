# daemon-flags: --build-users-group=guixbuild --substitute-urls=file:///tmp/subst-cache
# daemon-env: GUIX=/tmp/guix-wrapper GUIX_ALLOW_UNAUTHENTICATED_SUBSTITUTES=yes
# How the daemon runs its substituter, seen through $GUIX (a wrapper that logs its arguments
# and _NIX_OPTIONS, then runs the real guix): the query agent of `guix build' and of a repl
# client with its own options, the substitute agent (deduplicate=…), one query agent per
# connection.  Then agents that misbehave (the wrapper's mode file): one that dies at once
# (error text), one that answers `have' with a path it was not asked about (accepted) and
# `info' with one (error text), a substitute agent that dies (empty status) and one that
# hangs (build-max-silent-time applies).
# Observed: the log and the error texts.  Normalised: nothing.
source "$SCENARIO_DIR/lib.sh"

cat >/tmp/guix-wrapper <<'SH'
#!/bin/bash
{ echo "argv: $0 $*"; printf '%s' "$_NIX_OPTIONS" | sed 's/^/  /'; echo; } >>/tmp/agent.log
mode=$(cat /tmp/agent-mode 2>/dev/null)
case "$mode $*" in
  "die substitute --query"|"die substitute --substitute")
    read -r line; echo "agent: giving up on: $line" >&2; exit 1 ;;
  "hang substitute --substitute")
    read -r line; echo "agent: fetching forever" >&2; sleep 600 ;;
  "liar substitute --query")
    read -r line; echo /gnu/store/00000000000000000000000000000000-stranger >&4; echo >&4
    read -r line; printf '/gnu/store/00000000000000000000000000000000-stranger\n\n0\n0\n0\n\n' >&4
    sleep 60 ;;
esac
exec /usr/bin/guix "$@"
SH
chmod +x /tmp/guix-wrapper

x=$(drv '(sh-derivation "agents-x" "echo building x; echo x > $out")')
out=$(guix build --no-substitutes "$x" 2>/dev/null) || fail "first build"
guix repl -q -- "$SCENARIO_DIR/files/make-cache.scm" --unsigned /tmp/subst-cache "$out" || fail "make-cache"
guix gc -D "$out" >/dev/null 2>&1 || fail "gc -D"
: >/tmp/agent.log

guix build "$x" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "guix build"; }
expect_eq "substituted" "x" "$(cat "$out")"
repl <<SCM || fail "repl queries"
(set-build-options %store #:use-substitutes? #t #:substitute-urls (list "file:///tmp/subst-cache")
                   #:max-silent-time 7 #:print-extended-build-trace? #f)
(show "has:" (has-substitutes? %store "$out"))
(show "again:" (has-substitutes? %store "$out"))
SCM
observe "agents:"
observe_file /tmp/agent.log

echo die >/tmp/agent-mode
repl <<SCM >"$WORK/die" 2>&1 || { cat "$WORK/die"; fail "dying query agent"; }
(show "has:" (try (lambda () (has-substitutes? %store "$out"))))
SCM
cat "$WORK/die"
observe_file "$WORK/die"
guix gc -D "$out" >/dev/null 2>&1 || fail "gc -D again"
echo >/tmp/agent-mode
repl <<SCM >"$WORK/die-subst" 2>&1 || { cat "$WORK/die-subst"; fail "dying substitute agent"; }
(set-build-options %store #:print-build-trace #t #:verbosity 3)
(show "query:" (map substitutable-path (substitutable-path-info %store (list "$out"))))
(call-with-output-file "/tmp/agent-mode" (lambda (p) (display "die" p)))
(show "build:" (try (lambda () (build-things %store (list "$x")))))
SCM
cat "$WORK/die-subst"
observe_file "$WORK/die-subst"

# A substitute agent that never answers: build-max-silent-time applies to it.
echo >/tmp/agent-mode
repl <<SCM >"$WORK/hang" 2>&1 || { cat "$WORK/hang"; fail "hanging substitute agent"; }
(set-build-options %store #:print-build-trace #t #:verbosity 3 #:max-silent-time 2)
(show "query:" (map substitutable-path (substitutable-path-info %store (list "$out"))))
(call-with-output-file "/tmp/agent-mode" (lambda (p) (display "hang" p)))
(show "build:" (try (lambda () (build-things %store (list "$x")))))
SCM
cat "$WORK/hang"
observe_file "$WORK/hang"

echo liar >/tmp/agent-mode
repl <<SCM >"$WORK/liar" 2>&1 || { cat "$WORK/liar"; fail "lying query agent"; }
(show "have:" (try (lambda () (substitutable-paths %store (list "$out")))))
(show "info:" (try (lambda () (substitutable-path-info %store (list "$out")))))
SCM
cat "$WORK/liar"
observe_file "$WORK/liar"
