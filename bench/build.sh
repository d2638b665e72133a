#!/usr/bin/env bash
# bench/build.sh: the issue #5 build benchmark — the real guix-daemon and jguix on the same
# builds in one run, each in the harness's sid root with a fresh store, through the real
# guix 1.5.0 client.
#
#   bench/build.sh                  # BENCH_N=100 independent derivations, BENCH_SEQ=20, 3 rounds
#   BENCH_SMALL=1 bench/build.sh    # 20 and 5, 1 round, for working on the script
#
# Rows: "independent" — `guix build --max-jobs=2` of N trivial derivations (each builder
# writes one file) whose inputs (static bash) are already in the store, on a daemon that has just
# built N others the same way (as a long-running daemon has; that first batch, on the daemon as
# started, JIT cold for jguix, is the "cold" row); "per build" — the
# median time of one trivial build, BENCH_SEQ of them one after the other on one
# connection (build-things from guix repl): sandbox set-up, the builder, output
# registration and tear-down, which is what a daemon adds to a build. Ratio = real / jguix.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
in_root=$top/compat-tests/scripts/in-sid-root.sh
say() { printf '%s\n' "$*" >&2; }
die() { say "bench/build.sh: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (bwrap as in compat-tests)"
if [[ -n ${BENCH_SMALL:-} ]]; then n=${BENCH_N:-20}; seq=${BENCH_SEQ:-5}; runs=${BENCH_RUNS:-1}
else n=${BENCH_N:-100}; seq=${BENCH_SEQ:-20}; runs=${BENCH_RUNS:-3}; fi
"$top/compat-tests/scripts/make-sid-root.sh" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jguix-bench-build.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out"

say "building jguix (mvn package -DskipTests)..."
( source "$top/scripts/java-env.sh"; JAVA_HOME=$(find_java jdk) || die "no JDK 21+"; export JAVA_HOME
  mvn -q -B -f "$top/pom.xml" -pl daemon -am package -DskipTests >"$tmp/mvn.log" 2>&1 ) \
  || { tail -n 30 "$tmp/mvn.log" >&2; die "build failed"; }

# The daemon's start-up cache for the sid root's JVM (see bench/daemon.sh), before the read-only rounds.
"$in_root" --scratch "$tmp/cache-scratch" --bind "$top:/jguix" -- env JGUIX_NO_BUILD=1 /jguix/jguix-daemon --version \
  >/dev/null || die "jguix-daemon --version failed in the sid root"
chmod -R u+w "$tmp/cache-scratch"; rm -rf "$tmp/cache-scratch"

cat >"$tmp/out/inside.sh" <<'INSIDE'
set -euo pipefail
daemon=$1 n=$2 seq=$3 result=$4
flags=(--build-users-group=guixbuild --no-substitutes)
case $daemon in
  real) guix-daemon "${flags[@]}" >/tmp/daemon.log 2>&1 & ;;
  jguix) JGUIX_NO_BUILD=1 /jguix/jguix-daemon "${flags[@]}" >/tmp/daemon.log 2>&1 & ;;
esac
for _ in $(seq 600); do [[ -S /var/guix/daemon-socket/socket ]] && break; sleep 0.1; done
cat >/tmp/make.scm <<SCM
(use-modules (guix store) (guix derivations))
(define s (open-connection))
(define bash (add-to-store s "bash" #t "sha256" "/bin/bash-static"))
(define (trivial tag i)
  (derivation-file-name
   (derivation s (string-append tag "-" (number->string i)) bash
               (list "-c" (string-append "echo " (number->string i) " > \$out"))
               #:sources (list bash))))
(with-output-to-file "/tmp/cold"
  (lambda () (for-each (lambda (i) (display (trivial "cold" i)) (newline)) (iota $n))))
(with-output-to-file "/tmp/independent"
  (lambda () (for-each (lambda (i) (display (trivial "ind" i)) (newline)) (iota $n))))
(with-output-to-file "/tmp/sequential"
  (lambda () (for-each (lambda (i) (display (trivial "seq" i)) (newline)) (iota $seq))))
SCM
guix repl -q /tmp/make.scm
# The same work twice: first on the daemon as started (JIT cold, as after a restart), then again
# with other derivations on the daemon that has just done it (warm, as a long-running daemon is).
start=$(date +%s%N)
guix build --no-substitutes --max-jobs=2 $(cat /tmp/cold) >/tmp/built-cold 2>/tmp/build.err \
  || { cat /tmp/build.err >&2; exit 1; }
cold_end=$(date +%s%N)
[[ $(wc -l </tmp/built-cold) == "$n" ]] || { echo "expected $n outputs" >&2; exit 1; }
cold=$(( (cold_end - start) / 1000000 ))
start=$(date +%s%N)
guix build --no-substitutes --max-jobs=2 $(cat /tmp/independent) >/tmp/built 2>/tmp/build.err \
  || { cat /tmp/build.err >&2; exit 1; }
end=$(date +%s%N)
[[ $(wc -l </tmp/built) == "$n" ]] || { echo "expected $n outputs" >&2; exit 1; }
cat >/tmp/seq.scm <<SCM
(use-modules (guix store) (ice-9 rdelim) (srfi srfi-1))
(define s (open-connection))
(define drvs (call-with-input-file "/tmp/sequential"
               (lambda (p) (let loop ((acc '())) (let ((l (read-line p))) (if (eof-object? l) (reverse acc) (loop (cons l acc))))))))
(for-each (lambda (d)
            (let ((t0 (get-internal-real-time)))
              (build-things s (list d))
              (format #t "~a~%" (- (get-internal-real-time) t0))))
          drvs)
SCM
guix repl -q /tmp/seq.scm >/tmp/seq.ns
echo "independent $(( (end - start) / 1000000 ))" >"$result"
echo "cold $cold" >>"$result"
sort -n /tmp/seq.ns | awk '{a[NR]=$1} END {printf "perbuild %d\n", a[int((NR+1)/2)] / 1000000}' >>"$result"
sha256sum /tmp/built | cut -c1-16 >>"$result"
kill %1 2>/dev/null || true
INSIDE

for r in $(seq "$runs"); do
  order=(real jguix); ((r % 2 == 0)) && order=(jguix real)
  for d in "${order[@]}"; do
    scratch=$(mktemp -d "$tmp/scratch.XXXXXX")
    "$in_root" --scratch "$scratch" --ro-bind "$top:/jguix" --bind "$tmp/out:/out" -- \
      bash /out/inside.sh "$d" "$n" "$seq" "/out/$d.$r" 2>"$tmp/$d.$r.err" \
      || { cat "$tmp/$d.$r.err" >&2; die "$d round $r failed"; }
    chmod -R u+w "$scratch"; rm -rf "$scratch"
    say "round $r $d: $(tr '\n' ' ' <"$tmp/out/$d.$r")"
  done
done

. "$top/bench/rounds.sh"   # median, get
for r in $(seq "$runs"); do
  [[ $(tail -n 1 "$tmp/out/real.$r") == "$(tail -n 1 "$tmp/out/jguix.$r")" ]] || die "round $r: output paths differ"
done
ri=$(get real independent) ji=$(get jguix independent) rp=$(get real perbuild) jp=$(get jguix perbuild)
rc=$(get real cold) jc=$(get jguix cold)
printf '%-52s %10s %10s %8s %9s %s\n' benchmark jguix real ratio target verdict
row() { # name jguix-ms real-ms target
  local ratio; ratio=$(awk -v r="$3" -v j="$2" 'BEGIN { printf "%.2f", r / j }')
  local verdict; verdict=$(awk -v x="$ratio" -v t="$4" 'BEGIN { print (t == "-" ? "info" : (x >= t ? "PASS" : "FAIL")) }')
  printf '%-52s %8sms %8sms %7sx %9s %s\n' "$1" "$2" "$3" "$ratio" "${4/#-/report}" "$verdict"
}
row "$n independent trivial derivations, --max-jobs=2" "$ji" "$ri" 1.5
row "  the same on a just-started daemon (cold JIT)" "$jc" "$rc" -
row "one trivial build (median of $seq, set-up to registration)" "$jp" "$rp" 1.0
