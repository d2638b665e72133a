# A builder that tries to get out: write into the store and the root, read host files,
# reach the network (non-fixed-output), signal processes outside (its PID namespace holds
# only the build: the builder is PID 1), and leave a setuid/setgid/world-writable file in
# its output.  Each attempt's result goes into $out; the output's modes show what
# canonicalisation left.
source "$SCENARIO_DIR/lib.sh"

cat >"$WORK/escape.sh" <<'SH'
try() { if eval "$2" >/dev/null 2>&1; then echo "$1: allowed"; else echo "$1: denied"; fi; }
{
  try "write store" 'echo x > /gnu/store/escaped'
  try "write root" 'echo x > /escaped'
  try "write etc" 'echo x >> /etc/passwd'
  try "read shadow" 'cat /etc/shadow'
  try "read host root" 'ls /root'
  try "host var" 'ls /var/guix'
  try "tcp to host" 'echo GET | nc -w 1 127.0.0.1 8080'
  try "dns" 'nslookup gnu.org'
  try "kill init" 'kill -0 1'
  try "mknod" 'mknod /tmp/dev-null-copy c 1 3'
  try "mount" 'mount -t tmpfs none /tmp'
  try "chroot" 'chroot / true'
  echo "own pid: $$"
} > "$out.report"
mkdir -p $out/bin
cp "$out.report" $out/report
echo x > $out/bin/suid; chmod 6777 $out/bin/suid
echo y > $out/world; chmod 0666 $out/world
mkdir $out/stickydir; chmod 1777 $out/stickydir
SH
src=$(repl <<SCM
(display (add-to-store %store "escape.sh" #f "sha256" "$WORK/escape.sh"))
SCM
)
d=$(drv "(sh-derivation \"escape\" \"out=\$out; . $src\" #:sources (list \"$src\"))")
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "escape build"; }
cat "$out/report"
observe_file "$out/report"
[[ ! -e /gnu/store/escaped && ! -e /escaped ]] || fail "the builder escaped"
modes=$(cd "$out" && find . -printf '%p %M %U:%G\n' | sort)
printf '%s\n' "$modes"
observe "$modes"
grep -q 'suid -r-xr-xr-x' <<<"$modes" || fail "setuid file not canonicalised"
