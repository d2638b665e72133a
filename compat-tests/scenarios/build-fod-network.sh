# Network of fixed-output builds (build-environment.md §11): a fixed-output derivation
# downloads a file from an HTTP server on the host loopback (busybox httpd, reached
# through slirp4netns at 127.0.0.1 and at its gateway 10.0.2.2) and reports what its
# network namespace looks like (links, addresses, routes, /etc/hosts, /etc/resolv.conf,
# route_localnet); a non-fixed-output build must reach neither the server nor anything
# else; and neither build may connect to an abstract unix socket of the host (a socat
# listener in the daemon's network namespace: the escape closed by guix's own network
# namespace for fixed-output builds, CVE-2024-27297 follow-up).
# Runs of this scenario may share the host's network namespace (--jobs), so the server
# takes the first free port of 18765..18774 and the listener the first free name of
# jguix-fod-escape-0..9; the builders try them all.  Observed: the derivations' paths,
# the fixed-output build's stderr and report, the other build's report.  Normalised:
# slirp4netns's pid in "killing process N", the random EUI-64 link-local address of tap0.
source "$SCENARIO_DIR/lib.sh"

mkdir -p "$WORK/www"
echo "fod network payload" >"$WORK/www/file.txt"
serve_http "$WORK/www" 18765
expect_eq "server on the host" "fod network payload" "$(busybox wget -q -O - "http://127.0.0.1:$port/file.txt")"

sock=""
for i in 0 1 2 3 4 5 6 7 8 9; do
  socat "ABSTRACT-LISTEN:jguix-fod-escape-$i,fork" SYSTEM:'echo reached; touch '"$WORK/reached" 2>/dev/null &
  pid=$!; sleep 0.3
  if kill -0 "$pid" 2>/dev/null; then sock=jguix-fod-escape-$i; break; fi
done
[[ -n $sock ]] || fail "no free abstract socket name"
expect_eq "listener in the host namespace" "reached" "$(socat -T 2 - "ABSTRACT-CONNECT:$sock" </dev/null)"
rm -f "$WORK/reached"

# socat for the builders: the binary, its libraries and the dynamic loader in one store item.
mkdir -p "$WORK/socat/bin" "$WORK/socat/lib"
cp /usr/bin/socat "$WORK/socat/bin/"
for l in $(ldd /usr/bin/socat | grep -o '/[^ ]*'); do cp -L "$l" "$WORK/socat/lib/"; done
mv "$WORK/socat/lib/$(basename "$(ldd /usr/bin/socat | grep -o '/[^ ]*ld-linux[^ ]*')")" "$WORK/socat/lib/ld.so"

cat >"$WORK/probe.sh" <<'SH'
try() { if eval "$2" >/dev/null 2>&1; then echo "$1: allowed"; else echo "$1: denied"; fi; }
fetch() {  # fetch HOST: the payload from the first port that serves it
  for p in 18765 18766 18767 18768 18769 18770 18771 18772 18773 18774; do
    wget -q -T 2 -O - "http://$1:$p/file.txt" 2>/dev/null && return 0
  done
  return 1
}
abstract() {
  for i in 0 1 2 3 4 5 6 7 8 9; do
    $socat/lib/ld.so --library-path $socat/lib $socat/bin/socat -T 2 - ABSTRACT-CONNECT:jguix-fod-escape-$i \
      </dev/null 2>/dev/null | grep -q reached && return 0
  done
  return 1
}
report() {
  try "http 127.0.0.1" 'fetch 127.0.0.1'
  try "http 10.0.2.2" 'fetch 10.0.2.2'
  try "abstract unix socket of the host" abstract
  echo "abstract sockets listed: $(grep -c jguix-fod-escape /proc/net/unix)"
  ip -o link | sed -E 's/^[0-9]+: //; s/ qdisc.*//'
  ip -o addr | awk '{print $2, $3, $4}' | grep -v 'ff:fe'
  ip route; ip -6 route
  echo "route_localnet: $(cat /proc/sys/net/ipv4/conf/all/route_localnet)"
  echo "== /etc/hosts"; cat /etc/hosts
  echo "== /etc/resolv.conf"; cat /etc/resolv.conf 2>&1; echo
  echo "== /etc"; ls /etc
}
SH

repl <<SCM | tee "$WORK/drvs"
(define socat (add-to-store %store "socat" #t "sha256" "$WORK/socat"))
(define probe (add-to-store %store "probe.sh" #f "sha256" "$WORK/probe.sh"))
(define payload "fod network payload\n")
(define (net-drv name script . fixed)
  (sh-derivation name (string-append ". " probe "; " script)
                 #:env-vars \`(("socat" . ,socat)) #:sources (list socat probe)
                 #:hash (and (pair? fixed) (sha256 (string->utf8 payload)))
                 #:hash-algo (and (pair? fixed) 'sha256)))
(define fod (net-drv "fod-download" "report | sed 's/^/net: /' >&2; fetch 127.0.0.1 > \$out" #t))
(define plain (net-drv "no-network" "report > \$out"))
(show "fod" (derivation-file-name fod) (derivation->output-path fod))
(show "plain" (derivation-file-name plain) (derivation->output-path plain))
SCM
f() { awk -v k="$1" '$1==k {print $'"$2"'}' "$WORK/drvs"; }
observe_file "$WORK/drvs"

normalise() { sed -E 's/^killing process [0-9]+$/killing process <PID>/'; }

out=$(guix build --no-substitutes "$(f fod 2)" 2>"$WORK/err") || { cat "$WORK/err"; fail "fixed-output build"; }
cat "$WORK/err"
expect_eq "fod output" "$(f fod 3)" "$out"
expect_eq "downloaded" "fod network payload" "$(cat "$out")"
grep -q '^net: http 127.0.0.1: allowed$' "$WORK/err" || fail "no download from the host loopback"
grep -q '^net: abstract unix socket of the host: denied$' "$WORK/err" || fail "the builder reached the host's abstract socket"
grep -q '^killing process [0-9]*$' "$WORK/err" || fail "no slirp4netns killed"
observe "fod: stderr:"
normalise <"$WORK/err" >"$WORK/err.norm"
observe_file "$WORK/err.norm"

out=$(guix build --no-substitutes "$(f plain 2)" 2>"$WORK/err") || { cat "$WORK/err"; fail "non-fixed-output build"; }
cat "$out"
grep -q '^http 127.0.0.1: denied$' "$out" || fail "a non-fixed-output build reached the host loopback"
grep -q '^http 10.0.2.2: denied$' "$out" || fail "a non-fixed-output build reached the network"
grep -q '^abstract unix socket of the host: denied$' "$out" || fail "a non-fixed-output build reached the host's abstract socket"
observe "plain: report:"
observe_file "$out"
observe "plain: stderr: $(normalise <"$WORK/err" | tr '\n' '|')"
[[ ! -e $WORK/reached ]] || fail "a builder reached the host's abstract socket"
