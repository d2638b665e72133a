# systemd socket activation (guix-daemon.cc:systemd_activation_sockets): the harness binds the
# daemon socket itself and hands it over on fd 3 with LISTEN_FDS=1 and LISTEN_PID; the daemon
# must serve clients on that socket without binding its own (the socket file keeps its inode)
# and says "socket-activated with 1 socket". What a client does through it, the daemon's
# message and the socket's mode go to observed.txt.
# daemon-launch: socket-activated
source "$SCENARIO_DIR/lib.sh"

inode_before=$(stat -c %i "$SOCKET")
out=$(repl <<'SCM'
(define p (add-text-to-store %store "activated" "served on an inherited socket\n" '()))
(show "path" p (valid-path? %store p))
SCM
) || fail "repl through the activated socket"
printf '%s\n' "$out"
observe "$out"
expect_eq "socket inode unchanged" "$inode_before" "$(stat -c %i "$SOCKET")"
observe "socket mode: $(stat -c %a "$SOCKET")"
msg=$(grep -m1 'socket-activated' "$RESULT_DIR/daemon.log") || fail "no 'socket-activated' message in the daemon's log"
observe "daemon: $msg"
