# Crash safety (issue #6): the daemon is killed with SIGKILL (it and every process it
# started) at a random moment during an add-to-store, an import, a build and a garbage
# collection, CRASH_ROUNDS (default 5) times each, and restarted on the same store.
# After every restart: the database opens (the daemon serves again), `guix gc
# --verify=contents' reports nothing (no valid path lacks content, no valid path's content
# differs from its registered hash), what the client was told had succeeded is valid with
# the right contents, every GC-rooted path is still valid, and a client whose daemon died
# got an error.  At the end the real guix-daemon is started on the store left behind and
# its `guix gc --verify=contents' must be clean too.  The kill delay is uniform over
# [0, 1.2 × the duration of an uncrashed run of the same operation], so kills land before,
# during and after each step (upload, hashing, fsync, registration, deletion); the log
# shows each delay and outcome.  observed.txt holds only the fixed facts (rounds per
# kind, invariants held): the outcomes of individual rounds are random.
# scenario-timeout: 400
source "$SCENARIO_DIR/lib.sh"
: "${SCENARIO_DAEMON_CMD:?run by run-scenario-inside.sh}" "${SCENARIO_DAEMON_PID:?}"
ROUNDS=${CRASH_ROUNDS:-5}
SIZE=$((6 * 1024 * 1024)) # random bytes per item: uploads, hashes and fsyncs worth interrupting
daemon_pid=$SCENARIO_DAEMON_PID
read -r -a daemon_cmd <<<"$SCENARIO_DAEMON_CMD"

# children PID: the PIDs whose parent is PID (from /proc/*/stat: "pid (comm) state ppid ...").
children() {
  local f st
  for f in /proc/[0-9]*/stat; do
    { st=$(<"$f"); } 2>/dev/null || continue
    st=${st##*) }
    st=${st#* }
    [[ ${st%% *} == "$1" ]] && { f=${f#/proc/}; echo "${f%/stat}"; }
  done
  return 0
}

# kill_tree PID: stop PID (so it forks nothing more), then its descendants level by level,
# then SIGKILL them all.
kill_tree() {
  local pids=("$1") i=0 c
  kill -STOP "$1" 2>/dev/null || return 0
  while ((i < ${#pids[@]})); do
    for c in $(children "${pids[i]}"); do
      kill -STOP "$c" 2>/dev/null && pids+=("$c")
    done
    i=$((i + 1))
  done
  kill -KILL "${pids[@]}" 2>/dev/null
  while [[ -e /proc/$1 && $(</proc/$1/stat) != *") Z "* ]] 2>/dev/null; do sleep 0.01; done
  wait "$1" 2>/dev/null || true
}

start_daemon() {
  rm -f "$SOCKET" # left by the killed daemon; wait_for_socket must see the new one
  "$@" >>"$RESULT_DIR/daemon.log" 2>&1 </dev/null &
  daemon_pid=$!
  wait_for_socket "$SOCKET" 60 "$daemon_pid" || fail "daemon did not restart"
  # The database opens and the daemon answers: a trivial RPC must succeed.
  repl <<<'(valid-path? %store "/gnu/store/00000000000000000000000000000000-x")' >/dev/null \
    || fail "daemon serves no client after restart"
}


now_ms() { echo $(($(date +%s%N) / 1000000)); }

# crash_round KIND N WINDOW_MS CMD...: run CMD (stdin from $CLIENT_STDIN, output in
# $WORK/client.out) and, unless
# WINDOW_MS is 0, kill the daemon after a random delay in [0, WINDOW_MS].  Sets
# client_rc and client_ms; restarts the daemon if it was killed.
crash_round() {
  local kind=$1 n=$2 window=$3 delay t0 killed=no
  shift 3
  t0=$(now_ms)
  "$@" <"${CLIENT_STDIN:-/dev/null}" >"$WORK/client.out" 2>&1 &
  local client=$!
  if ((window > 0)); then
    delay=$(((RANDOM * 32768 + RANDOM) % (window + 1)))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -0 "$client" 2>/dev/null; then killed=yes; fi
    kill_tree "$daemon_pid"
  fi
  client_rc=0
  wait "$client" || client_rc=$?
  client_ms=$(($(now_ms) - t0))
  echo "round $kind $n: delay ${delay:-none} ms, killed while client ran: $killed, client exit $client_rc, $client_ms ms"
  if ((window > 0)); then
    if [[ $killed == yes && $client_rc == 0 ]]; then
      # The daemon died before the client finished, yet the client succeeded: acceptable only
      # if the reply was complete before the kill, which the checks below then confirm.
      echo "  (client finished during the kill)"
    fi
    start_daemon "${daemon_cmd[@]}"
  fi
}

# check_valid_content PATH FILE: PATH is valid and its contents are FILE's.
valid() { repl <<<"(display (valid-path? %store \"$1\"))"; }
check_valid_content() {
  [[ $(valid "$1") == "#t" ]] || fail "$1 reported added but not valid after restart"
  cmp -s "$1" "$2" || fail "$1 is valid but its contents differ"
}

# The store paths named NAME-PATTERN that are valid (globbing the store directory).
valid_named() {
  local p
  for p in /gnu/store/*-"$1"; do
    [[ -e $p ]] && [[ $(valid "$p") == "#t" ]] && echo "$p"
  done
  return 0
}

random_file() { head -c "$SIZE" /dev/urandom >"$1"; echo "$2" >>"$1"; }

# --- add-to-store -------------------------------------------------------------------------
add_client() {
  repl <<SCM
(show "added" (add-to-store %store "crash-add-$1" #f "sha256" "$WORK/add-$1"))
SCM
}
window=0
for ((n = 0; n <= ROUNDS; n++)); do
  random_file "$WORK/add-$n" "add $n"
  crash_round add "$n" "$window" add_client "$n"
  if ((n == 0)); then
    ((client_rc == 0)) || { cat "$WORK/client.out"; fail "uncrashed add-to-store"; }
    window=$((client_ms * 12 / 10))
  fi
  added=$(awk '$1=="added" {print $2}' "$WORK/client.out")
  if ((client_rc == 0)); then
    check_valid_content "$added" "$WORK/add-$n"
  elif [[ -n $added ]]; then
    fail "client printed a path but exited $client_rc"
  fi
  for p in $(valid_named "crash-add-$n"); do cmp -s "$p" "$WORK/add-$n" || fail "$p valid with other contents"; done
  verify_clean "add round $n"
done
observe "add-to-store: $ROUNDS crashed rounds, invariants held"

# --- import -------------------------------------------------------------------------------
guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
guix archive --authorize </etc/guix/signing-key.pub || fail "--authorize"
window=0
for ((n = 0; n <= ROUNDS; n++)); do
  random_file "$WORK/imp-$n" "import $n"
  p=$(repl <<<"(display (add-to-store %store \"crash-import-$n\" #f \"sha256\" \"$WORK/imp-$n\"))") \
    || fail "add before export"
  guix archive --export "$p" >"$WORK/imp.nar" || fail "export"
  guix gc --delete "$p" >/dev/null 2>&1 || fail "delete before import"
  [[ $(valid "$p") == "#f" ]] || fail "$p still valid before the import"
  CLIENT_STDIN=$WORK/imp.nar crash_round import "$n" "$window" guix archive --import
  if ((n == 0)); then
    ((client_rc == 0)) || { cat "$WORK/client.out"; fail "uncrashed import"; }
    window=$((client_ms * 12 / 10))
  fi
  if ((client_rc == 0)); then
    check_valid_content "$p" "$WORK/imp-$n"
  elif [[ $(valid "$p") == "#t" ]]; then
    cmp -s "$p" "$WORK/imp-$n" || fail "$p imported with other contents"
  fi
  verify_clean "import round $n"
done
observe "import: $ROUNDS crashed rounds, invariants held"

# --- build --------------------------------------------------------------------------------
window=0
for ((n = 0; n <= ROUNDS; n++)); do
  d=$(drv "(sh-derivation \"crash-build-$n\" \"head -c $SIZE /dev/urandom > \$out; echo >> \$out; echo $n >> \$out\")") \
    || fail "derivation"
  out=$(repl <<<"(display (derivation->output-path (read-derivation-from-file \"$d\")))")
  crash_round build "$n" "$window" guix build --no-substitutes "$d"
  if ((n == 0)); then
    ((client_rc == 0)) || { cat "$WORK/client.out"; fail "uncrashed build"; }
    window=$((client_ms * 12 / 10))
  fi
  if ((client_rc == 0)); then
    grep -qxF "$out" "$WORK/client.out" || fail "guix build succeeded without printing $out"
    [[ $(valid "$out") == "#t" ]] || fail "$out built but not valid after restart"
    [[ $(tail -n 1 "$out") == "$n" ]] || fail "$out valid with wrong contents"
  fi
  verify_clean "build round $n"
done
observe "build: $ROUNDS crashed rounds, invariants held"

# --- garbage collection -------------------------------------------------------------------
# 300 items per round, one in three reachable from an indirect root (chains of references:
# each rooted item refers to the previous one), the rest dead.
window=0
mkdir -p "$WORK/roots"
for ((n = 0; n <= ROUNDS; n++)); do
  repl <<SCM >"$WORK/gc-items"
(let loop ((i 0) (prev #f))
  (when (< i 300)
    (let* ((root? (zero? (modulo i 3)))
           (text (string-append "gc item $n " (number->string i) (if prev prev "")))
           (p (add-text-to-store %store (string-append "crash-gc-$n-" (number->string i)) text
                                 (if (and root? prev) (list prev) '()))))
      (when root?
        (show "live" p (if prev prev "-")))
      (loop (+ i 1) (if root? p prev)))))
SCM
  last=$(awk '$1=="live" {p=$2} END {print p}' "$WORK/gc-items")
  ln -sfn "$last" "$WORK/roots/gc-$n"
  repl <<<"(add-indirect-root %store \"$WORK/roots/gc-$n\")" >/dev/null || fail "add-indirect-root"
  crash_round gc "$n" "$window" guix gc
  if ((n == 0)); then
    ((client_rc == 0)) || { cat "$WORK/client.out"; fail "uncrashed gc"; }
    window=$((client_ms * 12 / 10))
  fi
  # Every rooted item of every round so far is still valid and on disk.
  cp "$WORK/gc-items" "$WORK/gc-items-$n"
  awk '$1=="live" {print $2}' "$WORK"/gc-items-* >"$WORK/rooted"
  lost=$(repl <<SCM
(for-each (lambda (p) (unless (and (valid-path? %store p) (file-exists? p)) (show p)))
          (string-split (string-trim-right (file-contents "$WORK/rooted")) #\newline))
SCM
) || fail "checking the rooted paths"
  [[ -z $lost ]] || fail "rooted paths lost in gc round $n: $(head -n 3 <<<"$lost" | tr '\n' ' ')"
  verify_clean "gc round $n"
done
observe "gc: $ROUNDS crashed rounds, invariants held"

# --- the real guix-daemon reads the store left behind -------------------------------------
kill_tree "$daemon_pid"
start_daemon guix-daemon --build-users-group=guixbuild --no-substitutes
verify_clean "the switch to the real guix-daemon"
observe "real guix-daemon: verify=contents clean on the store left behind"
