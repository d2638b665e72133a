#!/usr/bin/env bash
# Runs a command inside the cached sid root (see make-sid-root.sh) with a private,
# fresh /gnu/store and /var/guix taken from a scratch directory on the host.
#
#   in-sid-root.sh [--scratch DIR] [--bind HOSTDIR:INSIDE]... [--ro-bind HOSTDIR:INSIDE]...
#                  -- COMMAND [ARG...]
#
# The scratch directory (default: a new mktemp dir, left in place) backs /gnu, /var/guix,
# /var/log/guix, /etc/guix, /tmp and /root (HOME), so concurrent runs share nothing
# writable but the mount points of --bind/--ro-bind, which bwrap creates in the root.
#
# Why bubblewrap and not chroot(8): a chrooted process cannot create user namespaces,
# and the real guix-daemon's builds need them. bwrap enters the root with pivot_root in a
# new mount namespace, so the root is a mount point (guix-daemon insists) and nested
# namespaces work. A private PID namespace means that when COMMAND ends every process it
# started (daemons included) dies, and a daemon's "kill every process of this build uid"
# reaches only processes of this run: two runs can use the same build users at once.
#
# /dev is the host's (--dev-bind), not bwrap's --dev: guix-daemon needs /dev/net/tun for
# fixed-output builds, and its slirp4netns chroot bind-mounts every mount point, which
# fails on bwrap's --dev (each node is a file mount inside a mounted /dev: "mount target
# `/tmp/dev/full' exists but is not a regular file"; builds then fail in phase
# waitForSlirpReady).  The builders' /dev is unchanged (the same host nodes), except that
# /dev/kvm exists when the host has it.
#
# /proc is mounted afresh over bwrap's: bwrap's has read-only bind mounts on /proc/irq and
# /proc/bus, and with a partly hidden proc the kernel refuses a new proc mount in a user
# namespace (mount_too_revealing), which is how both daemons' builds without build users
# (and an unprivileged daemon's) get their /proc. A plain proc mount hides nothing.
set -euo pipefail
root=${JGUIX_SIDROOT:-/var/cache/jguix/sid-root}
scratch=""
binds=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --scratch) scratch=$2; shift 2 ;;
    --bind) binds+=(--bind "${2%%:*}" "${2#*:}"); shift 2 ;;
    --ro-bind) binds+=(--ro-bind "${2%%:*}" "${2#*:}"); shift 2 ;;
    --) shift; break ;;
    *) echo "in-sid-root: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: in-sid-root.sh [--scratch DIR] [--bind H:I]... [--ro-bind H:I]... -- CMD..." >&2; exit 2; }
[[ -f $root/.jguix-root-ready ]] || { echo "in-sid-root: no sid root at $root (run make-sid-root.sh)" >&2; exit 1; }
if [[ -z $scratch ]]; then scratch=$(mktemp -d /tmp/jguix-scratch.XXXXXX); fi
mkdir -p "$scratch/gnu/store" "$scratch/var/guix" "$scratch/var/log/guix" "$scratch/etc/guix" "$scratch/tmp" "$scratch/root"
chmod 700 "$scratch/root"
chmod 1775 "$scratch/gnu/store"; chmod 1777 "$scratch/tmp"
exec bwrap --bind "$root" / \
  --bind "$scratch/gnu" /gnu --bind "$scratch/var/guix" /var/guix \
  --bind "$scratch/var/log/guix" /var/log/guix --bind "$scratch/etc/guix" /etc/guix \
  --bind "$scratch/tmp" /tmp --bind "$scratch/root" /root \
  --proc /proc --dev-bind /dev /dev --ro-bind /sys /sys \
  --unshare-pid --die-with-parent --as-pid-1 \
  --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin --setenv HOME /root --setenv LC_ALL C.UTF-8 \
  --unsetenv JAVA_HOME --unsetenv MAVEN_OPTS \
  "${binds[@]}" \
  /bin/sh -c 'mount -t proc proc /proc && exec "$@"' in-sid-root "$@"
