# Builder of build-environment.sh (run by bash-static with $busybox set).
# Bash builtins first, so PATH is the daemon's own.
exec > "$out" 2>&1
echo "== identity"
echo "pid: $$ ppid: $PPID"
echo "uid: $UID euid: $EUID groups: ${GROUPS[*]}"
echo "pwd: $PWD"
echo "umask: $(umask)"
echo "== environment (declare -x)"
declare -x
echo "== shell"
echo "PATH=$PATH"
echo "SHLVL=$SHLVL"
echo "== ulimit -a"
ulimit -a
PATH=$busybox/bin
echo "== id"
id
echo "== uname"
uname -snm
echo "hostname: $(hostname)"
echo "domainname: $(cat /proc/sys/kernel/domainname)"
for f in /etc/passwd /etc/group /etc/hosts /etc/resolv.conf /etc/nsswitch.conf /etc/services; do
  echo "== $f"
  if [ -e "$f" ]; then cat "$f"; else echo "(absent)"; fi
done
# lsl DIR: one line per entry (dot files included): mode owner:group size-or-device
# name [-> target].  No timestamps (they vary); $out (being written) without its size.
lsl() {
  d=${1%/}
  for f in "$d"/.* "$d"/*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    case $f in */.|*/..) continue ;; esac
    if [ "$f" = "$out" ]; then echo "(\$out)"; continue; fi
    if [ ! -L "$f" ] && { [ -c "$f" ] || [ -b "$f" ]; }; then stat -c '%A %u:%g %t,%T %N' "$f"
    else stat -c '%A %u:%g %s %N' "$f"; fi
  done
}
for dir in / /dev /dev/pts /dev/shm /tmp . /gnu /gnu/store /etc; do
  echo "== lsl $dir"
  lsl "$dir"
done
echo "proc: $(ls -d /proc/[0-9]* | wc -l) pids visible, self: $(readlink /proc/self)"
echo "== ls /proc/self/fd"
ls /proc/self/fd
echo "== /proc/self/status"
grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters|NSpid)' /proc/self/status
echo "== /proc/self/mountinfo"
cat /proc/self/mountinfo
echo "== /proc/self/uid_map gid_map setgroups"
cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups
echo "== network"
ls /sys/class/net 2>&1
cat /proc/net/dev | sed 1,2d | cut -d: -f1
echo "== end"
