#!/usr/bin/env bash
# One scenario run, inside the sid root (started by compat-tests/run-scenarios through
# in-sid-root.sh, so /gnu/store, /var/guix, /etc/guix and /tmp are fresh and empty, and
# every process started here dies when this script ends: private PID namespace).
#
#   run-scenario-inside.sh DAEMON SCENARIO_FILE
#
# DAEMON is `real' (/usr/bin/guix-daemon) or `jguix' (/jguix/jguix-daemon).  Writes into
# $RESULT_DIR: daemon.log, scenario.log, observed.txt (by the scenario) and `status':
# one line "pass", "fail REASON" or "unavailable REASON" (daemon never served a client).
# Timeouts (seconds, from the environment): JGUIX_START_TIMEOUT (socket, default 60),
# JGUIX_HANDSHAKE_TIMEOUT (first client, default 30), JGUIX_SCENARIO_TIMEOUT (default 120).
set -uo pipefail
daemon=$1 scenario=$2
: "${RESULT_DIR:?}"
export SCENARIO_DIR
SCENARIO_DIR=$(dirname "$scenario")
export WORK=/tmp/scenario-work
mkdir -p "$WORK"
source "$SCENARIO_DIR/lib.sh"
set +e

status() { echo "$*" >"$RESULT_DIR/status"; exit 0; }
log_tail() { tail -n 15 "$RESULT_DIR/daemon.log" | sed 's/^/    daemon.log: /'; }

flags=(--build-users-group=guixbuild --no-substitutes)
# A scenario may start its daemons with other flags: a line "# daemon-flags: FLAGS..." in it
# replaces the default flags above (split on blanks, no quoting).
custom=$(sed -n 's/^# daemon-flags:[[:space:]]*//p' "$scenario" | head -n 1)
[[ -z $custom ]] || read -r -a flags <<<"$custom"
# "# daemon-env: NAME=VALUE..." adds variables to both daemons' environment (e.g. GUIX, the
# program builtin builders run; split on blanks, no quoting).
env_custom=$(sed -n 's/^# daemon-env:[[:space:]]*//p' "$scenario" | head -n 1)
daemon_env=()
[[ -z $env_custom ]] || read -r -a daemon_env <<<"$env_custom"
# "# daemon-prlimit: --RESOURCE=SOFT:HARD..." starts both daemons with these limits (prlimit).
limits_custom=$(sed -n 's/^# daemon-prlimit:[[:space:]]*//p' "$scenario" | head -n 1)
launcher=(env)
[[ -z $limits_custom ]] || { read -r -a launcher <<<"$limits_custom"; launcher=(prlimit "${launcher[@]}" env); }
case $daemon in
  real) cmd=("${launcher[@]}" "${daemon_env[@]}" guix-daemon "${flags[@]}") ;;
  jguix) cmd=("${launcher[@]}" "${daemon_env[@]}" /jguix/jguix-daemon "${flags[@]}") ;;
  *) status "fail unknown daemon $daemon" ;;
esac
# "# daemon-user: NAME" runs the daemon unprivileged as Debian's guix-daemon.service does
# (User=guix-daemon, AmbientCapabilities=CAP_CHOWN), owning the store and state directories.
user=$(sed -n 's/^# daemon-user:[[:space:]]*//p' "$scenario" | head -n 1)
if [[ -n $user ]]; then
  chown "$user:$user" /gnu/store /var/guix /var/log/guix
  cmd=(setpriv --reuid "$user" --regid "$user" --init-groups --inh-caps=+chown --ambient-caps=+chown "${cmd[@]}")
fi
# "# daemon-launch: no-user-namespaces" runs the daemon as root of a user namespace in which
# user.max_user_namespaces is 0, so that its builds cannot have the user namespace they need.
if grep -q '^# daemon-launch:[[:space:]]*no-user-namespaces' "$scenario"; then
  cmd=(unshare --user --map-root-user sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh "${cmd[@]}")
fi
# "# daemon-launch: socket-activated" starts the daemon as systemd would with a socket unit:
# the socket bound beforehand and handed over on fd 3 (LISTEN_FDS/LISTEN_PID).
if grep -q '^# daemon-launch:[[:space:]]*socket-activated' "$scenario"; then
  cmd=(guile --no-auto-compile -s "$(dirname "$0")/socket-activate.scm" "$SOCKET" "${cmd[@]}")
fi

# Daemons start as systemd starts services: a soft open-files limit below the hard one (1024,
# the kernel's default soft limit), which a JVM raises to the hard limit for itself at start-up;
# builders must still get the daemon's soft limit (build-environment shows `ulimit -a').
ulimit -Sn 1024
"${cmd[@]}" >"$RESULT_DIR/daemon.log" 2>&1 </dev/null &
daemon_pid=$!
# For scenarios that kill and restart the daemon (crash-safety.sh): its command line (words
# joined by blanks; no word contains one) and PID.  Other scenarios must not use them.
export SCENARIO_DAEMON_CMD="${cmd[*]}" SCENARIO_DAEMON_PID=$daemon_pid
# A line "# scenario-timeout: SECONDS" in a scenario replaces JGUIX_SCENARIO_TIMEOUT for it.
timeout_s=$(sed -n 's/^# scenario-timeout:[[:space:]]*\([0-9]\+\).*/\1/p' "$scenario" | head -n 1)
timeout_s=${timeout_s:-${JGUIX_SCENARIO_TIMEOUT:-120}}

if ! why=$(wait_for_socket "$SOCKET" "${JGUIX_START_TIMEOUT:-60}" "$daemon_pid" 2>&1); then
  { echo "$why"; log_tail; } >"$RESULT_DIR/scenario.log"
  last=$(grep -v '^[[:space:]]*$' "$RESULT_DIR/daemon.log" | tail -n 1)
  status "unavailable $why${last:+ (daemon.log: ${last:0:100})}"
fi

# Handshake probe: a daemon that binds its socket but does not (yet) speak the protocol
# would otherwise cost a full scenario timeout per scenario.
probe=$(mktemp "$WORK/probe.XXXXXX.scm")
echo '(use-modules (guix store)) (close-connection (open-connection))' >"$probe"
out=$(timeout -k 5 "${JGUIX_HANDSHAKE_TIMEOUT:-30}" guix repl -q "$probe" 2>&1)
rc=$?
if ((rc != 0)); then
  ((rc == 124 || rc == 137)) && out="no handshake within ${JGUIX_HANDSHAKE_TIMEOUT:-30}s"
  { echo "handshake probe failed:"; printf '%s\n' "$out" | tail -n 5; log_tail; } >"$RESULT_DIR/scenario.log"
  status "unavailable handshake probe failed: $(printf '%s\n' "$out" | tail -n 1 | cut -c1-120)"
fi

cd "$WORK"
timeout -k 10 "$timeout_s" bash "$scenario" >"$RESULT_DIR/scenario.log" 2>&1 </dev/null
rc=$?
kill -0 "$daemon_pid" 2>/dev/null || echo "(daemon exited during the scenario)" >>"$RESULT_DIR/scenario.log"
kill "$daemon_pid" 2>/dev/null
case $rc in
  0) status pass ;;
  124|137) status "fail timeout after ${timeout_s}s" ;;
  *) why=$(grep -m1 '^FAIL: ' "$RESULT_DIR/scenario.log" | cut -c7-)
     [[ -n $why ]] || why=$(grep -v '^[[:space:]]*$' "$RESULT_DIR/scenario.log" | tail -n1)
     status "fail ${why:0:120} (exit $rc)" ;;
esac
