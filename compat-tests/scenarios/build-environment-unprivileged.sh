# daemon-flags: --no-substitutes
# daemon-user: guix-daemon
# build-environment for an unprivileged daemon (mode U of build-environment.md §1): the
# daemon runs as guix-daemon with CAP_CHOWN, as Debian's guix-daemon.service starts it, owns
# the store, and runs builders as its uid mapped to 30001 in a user namespace. The same
# builder report as build-environment, compared between the daemons.
source "$SCENARIO_DIR/build-environment.sh"
