# Shared helpers for compat-tests scenarios; sourced by every scenarios/NAME.sh.
#
# A scenario runs inside the sid root, after the runner has started the daemon under test
# and seen it complete a handshake.  It talks to it only through real clients (guix repl
# with (guix store), guix build/gc/archive) and exits 0 when every check passed.
# Environment set by the runner (scripts/run-scenario-inside.sh):
#   RESULT_DIR    where to write observed.txt (compared between guix-daemon and jguix)
#   SCENARIO_DIR  this directory (lib.sh, lib.scm)
#   WORK          an empty scratch directory, also the current directory
# Scenarios must not look at which daemon they talk to.
set -euo pipefail

: "${RESULT_DIR:?run scenarios through compat-tests/run-scenarios}"
: "${SCENARIO_DIR:?}" "${WORK:?}"
OBSERVED=$RESULT_DIR/observed.txt
SOCKET=${GUIX_DAEMON_SOCKET:-/var/guix/daemon-socket/socket}

# repl: run the Scheme program on stdin after lib.scm (which opens %store).
# Prints what the program prints; fails if it raises.
repl() {
  local f
  f=$(mktemp "$WORK/repl.XXXXXX.scm")
  cat "$SCENARIO_DIR/lib.scm" - >"$f"
  guix repl -q "$f"
}

# observe LINE...: record a line for the real-vs-jguix comparison.  Only record what
# must be identical between daemons; normalise anything legitimately variable first.
observe() { printf '%s\n' "$*" >>"$OBSERVED"; }

# observe_file FILE: record a whole (already normalised) file.
observe_file() { cat "$1" >>"$OBSERVED"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  [[ $2 == "$3" ]] || fail "$1: expected [$2], got [$3]"
  echo "ok: $1 = $3"
}

# expect_match WHAT ERE TEXT
expect_match() {
  [[ $3 =~ $2 ]] || fail "$1: [$3] does not match /$2/"
  echo "ok: $1 matches /$2/"
}

# expect_fail WHAT CMD...: CMD must exit non-zero; its combined output goes to $LAST_OUTPUT.
LAST_OUTPUT=""
expect_fail() {
  local what=$1; shift
  if LAST_OUTPUT=$("$@" 2>&1); then
    printf '%s\n' "$LAST_OUTPUT"; fail "$what: expected failure, but it succeeded"
  fi
  echo "ok: $what failed as expected"
}

# wait_for_socket PATH TIMEOUT_SECONDS [PID]: wait until PATH is a socket; give up after
# the timeout or as soon as PID (the daemon) has exited.
wait_for_socket() {
  local path=$1 timeout=$2 pid=${3:-} deadline=$((SECONDS + $2))
  while [[ ! -S $path ]]; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "daemon exited before creating $path" >&2; return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "no socket at $path after ${timeout}s" >&2; return 1
    fi
    sleep 0.1
  done
}

# normalise_epoch: replace epoch-seconds timestamps (registration times etc.) by <EPOCH>.
normalise_epoch() { sed -E 's/\b1[0-9]{9}\b/<EPOCH>/g'; }

# drv NAME SCHEME-EXPR...: print the .drv file name of a derivation defined in Scheme
# (the expression is evaluated after lib.scm; use sh-derivation and friends).
drv() {
  repl <<<"(display (derivation-file-name $1))"
}

# normalise_gc: guix-daemon deletes unreachable paths in random order (gc.cc shuffles
# them) and prefixes each "deleting" line with the running total freed so far; drop the
# running total and sort the (contiguous) block of "deleting '/gnu/store/...'" lines.
normalise_gc() {
  local text; text=$(cat)
  grep -v "^\[.*\] deleting '" <<<"$text" | sed -n "1,/^deleting garbage\.\.\.$/p" || true
  grep "^\[.*\] deleting '" <<<"$text" | sed "s/^\[[^]]*\] //" | sort || true
  grep -v "^\[.*\] deleting '" <<<"$text" | sed "1,/^deleting garbage\.\.\.$/d" || true
}

# serve_http DIR FIRST_PORT: serve DIR over HTTP on 127.0.0.1 (busybox httpd, in the background)
# at the first free port of the ten from FIRST_PORT, and set `port` to it. Each scenario takes its
# own range, so that scenarios run in parallel do not take each other's port.
serve_http() {
  local p pid
  port=""
  for ((p = $2; p < $2 + 10; p++)); do
    busybox httpd -f -p "127.0.0.1:$p" -h "$1" 2>/dev/null &
    pid=$!; sleep 0.3
    if kill -0 "$pid" 2>/dev/null; then port=$p; return 0; fi
  done
  fail "no free port for the HTTP server"
}

# verify_clean WHEN: `guix gc --verify=contents` exits 0 and prints only its progress lines.
verify_clean() {
  local out
  out=$(guix gc --verify=contents 2>&1) || { printf '%s\n' "$out"; fail "verify after $1 exited non-zero"; }
  out=$(grep -v -e '^reading the store\.\.\.$' -e '^checking path existence\.\.\.$' \
    -e '^checking hashes\.\.\.$' -e '^accepted connection' <<<"$out" || true)
  [[ -z $out ]] || { printf '%s\n' "$out"; fail "verify after $1 found problems"; }
}

# corrupt FILE NEW-CONTENT: overwrite a store file in place (made writable, then read-only again),
# as a disk error or a careless root would, for the repair and verify scenarios.
corrupt() {
  chmod u+w "$1" "$(dirname "$1")" && printf '%s\n' "$2" >"$1" && chmod a-w "$1" "$(dirname "$1")"
}

# observe_step WHAT CMD...: run a client command and observe its exit status, its stdout and its
# stderr (blank lines dropped, sorted: the order of concurrent goals' messages varies), stderr
# passed through step_filter first (define it to normalise; by default it passes all).
step_filter() { cat; }
observe_step() {
  local what=$1 status=0; shift
  "$@" >"$WORK/out" 2>"$WORK/err" || status=$?
  cat "$WORK/out" "$WORK/err"
  observe "$what: status $status, out: $(tr '\n' ' ' <"$WORK/out")"
  observe "$what: stderr: $(step_filter <"$WORK/err" | grep -v -e '^\s*$' | LC_ALL=C sort | tr '\n' '|')"
}
