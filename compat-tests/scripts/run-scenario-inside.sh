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

"${cmd[@]}" >"$RESULT_DIR/daemon.log" 2>&1 </dev/null &
daemon_pid=$!

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
timeout -k 10 "${JGUIX_SCENARIO_TIMEOUT:-120}" bash "$scenario" >"$RESULT_DIR/scenario.log" 2>&1 </dev/null
rc=$?
kill -0 "$daemon_pid" 2>/dev/null || echo "(daemon exited during the scenario)" >>"$RESULT_DIR/scenario.log"
kill "$daemon_pid" 2>/dev/null
case $rc in
  0) status pass ;;
  124|137) status "fail timeout after ${JGUIX_SCENARIO_TIMEOUT:-120}s" ;;
  *) why=$(grep -m1 '^FAIL: ' "$RESULT_DIR/scenario.log" | cut -c7-)
     [[ -n $why ]] || why=$(grep -v '^[[:space:]]*$' "$RESULT_DIR/scenario.log" | tail -n1)
     status "fail ${why:0:120} (exit $rc)" ;;
esac
