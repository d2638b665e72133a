#!/usr/bin/env bash
# Creates (once, then reuses) a Debian sid root holding the real peers:
# GNU Guix 1.5.0 (client + C++ guix-daemon), Nix, static bash/busybox, a JRE, and
# slirp4netns (guix-daemon's network for fixed-output builds) and git (what `guix
# perform-download' runs for builtin:git-download: guix/config.scm's %git, /usr/bin/git).
# Usage: make-sid-root.sh [ROOT]   (default: $JGUIX_SIDROOT or /var/cache/jguix/sid-root)
# The root is cached: a marker file records the package set it was built with,
# and a second run with the same set returns at once.  A cached root of the same
# version lacking some packages only gets those installed (runs of the harness may be
# using it: it is never deleted under them); a missing root is debootstrapped afresh.
set -euo pipefail

root=${1:-${JGUIX_SIDROOT:-/var/cache/jguix/sid-root}}
packages="guix nix-bin bash-static busybox-static openjdk-21-jre-headless socat procps slirp4netns git"
stamp="$root/.jguix-root-ready"
want="v1 $packages"

# Ready when the stamp names every package of ours: a root that also has another branch's extra
# packages serves this one unchanged (and adding ours keeps theirs in the stamp).
has_all() {
  [[ -f $stamp && $(cat "$stamp") == "v1 "* ]] || return 1
  local have=" $(cut -d' ' -f2- "$stamp") " p
  for p in $packages; do [[ $have == *" $p "* ]] || return 1; done
}

# The unprivileged daemon's account, as Debian's guix package declares it in sysusers.d (which
# nothing runs in a chroot). Added to cached roots too: appending a user is harmless to runs
# using the root meanwhile, unlike rebuilding it.
daemon_user() {
  grep -q '^guix-daemon:' "$1/etc/passwd" && return 0
  bwrap --bind "$1" / --dev /dev --proc /proc --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin \
    useradd --system --user-group -d /var/empty -s /usr/sbin/nologin -c "Unprivileged Guix Daemon User" guix-daemon
}

if has_all && grep -q '^guix-daemon:' "$root/etc/passwd"; then
  echo "sid root: cached at $root"
  exit 0
fi

[[ $(id -u) == 0 ]] || { echo "make-sid-root: must run as root (debootstrap, mounts)" >&2; exit 1; }

# One builder at a time (parallel harness runs all call this script).
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9
if has_all; then
  daemon_user "$root"
  echo "sid root: cached at $root"
  exit 0
fi

inroot() {
  bwrap --bind "$1" / --dev /dev --proc /proc --ro-bind /etc/resolv.conf /etc/resolv.conf \
    --setenv DEBIAN_FRONTEND noninteractive --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin "${@:2}"
}

# Same version, fewer packages: add the missing ones in place.
if [[ -f $stamp && $(cat "$stamp") == "v1 "* ]] && command -v bwrap >/dev/null; then
  have=" $(cut -d' ' -f2- "$stamp") "
  missing_pkgs=""
  for p in $packages; do [[ $have == *" $p "* ]] || missing_pkgs+=" $p"; done
  echo "sid root: adding$missing_pkgs to $root"
  if inroot "$root" apt-get update -qq >>"$root.log" 2>&1 \
      && inroot "$root" apt-get install -y -qq $missing_pkgs >>"$root.log" 2>&1; then
    inroot "$root" apt-get clean
    daemon_user "$root"
    echo "v1${have% }$missing_pkgs" >"$stamp"
    echo "sid root: ready at $root"
    exit 0
  fi
  tail -n 30 "$root.log" >&2
  echo "make-sid-root: adding packages failed; rebuilding the root" >&2
fi

need() { command -v "$1" >/dev/null 2>&1 || missing+=" $2"; }
missing=""
need debootstrap debootstrap
need bwrap bubblewrap
if [[ -n $missing ]]; then
  echo "make-sid-root: installing$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# Use the same Debian mirror the host's apt already uses (no host is hard-coded here).
mirror=${JGUIX_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -oE '(https?)://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ') || true
fi
[[ -n $mirror ]] || { echo "make-sid-root: no Debian mirror found in /etc/apt; set JGUIX_DEBIAN_MIRROR" >&2; exit 1; }

tmp="$root.tmp"
rm -rf "$tmp"
echo "sid root: debootstrap sid from $mirror into $tmp"
debootstrap --variant=minbase --include=ca-certificates sid "$tmp" "$mirror" >"$tmp.log" 2>&1 \
  || { tail -n 30 "$tmp.log" >&2; exit 1; }

cat >"$tmp/etc/apt/apt.conf.d/99jguix" <<'CONF'
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CONF
# policy-rc.d: never start services inside the root.
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"

echo "sid root: installing $packages"
inroot "$tmp" apt-get update -qq >>"$tmp.log" 2>&1 || { tail -n 30 "$tmp.log" >&2; exit 1; }
inroot "$tmp" apt-get install -y -qq $packages >>"$tmp.log" 2>&1 || { tail -n 30 "$tmp.log" >&2; exit 1; }
inroot "$tmp" apt-get clean

# Build users as the Guix manual sets them up: group guixbuild, users guixbuilder01..10.
inroot "$tmp" sh -c 'getent group guixbuild >/dev/null || groupadd --system guixbuild
  for i in 01 02 03 04 05 06 07 08 09 10; do
    id guixbuilder$i >/dev/null 2>&1 || useradd -g guixbuild -G guixbuild -d /var/empty -s /usr/sbin/nologin \
      -c "Guix build user $i" --system guixbuilder$i
  done' >>"$tmp.log" 2>&1

daemon_user "$tmp" >>"$tmp.log" 2>&1

rm -rf "$root"
mv "$tmp" "$root"
mv "$tmp.log" "$root.log"
echo "$want" >"$stamp"
echo "sid root: ready at $root"
