#!/usr/bin/env bash
# Daemon benchmarks (issue #4): the real guix-daemon 1.5.0 and jguix-daemon, each in the sid root
# with a fresh store, driven by the same load client; one run, one table of ratios.  See README.md.
#
#   bench/daemon.sh                   # full sizes: ~3 minutes on 2 cores
#   BENCH_SMALL=1 bench/daemon.sh     # a tenth of the work, for working on the script
#
# Every figure is the median of BENCH_RUNS rounds; in each round both daemons run, in alternating
# order, so load from other processes on a shared machine hits both alike.  Ratios are reference
# time / jguix time (for throughput: jguix / reference): above 1 means jguix is faster.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/scripts/java-env.sh"

runs=${BENCH_RUNS:-3}
if [[ -n ${BENCH_SMALL:-} ]]; then
  adds=200 queries=2000 clients=16 per_client=50 warmup=100
else
  adds=2000 queries=20000 clients=16 per_client=500 warmup=${BENCH_WARMUP:-500}
fi
restarts=${BENCH_RESTARTS:-3}
idle=${BENCH_IDLE:-2000}   # connections held open in the idle phase (0: none)
sid_root=${JGUIX_SIDROOT:-/var/cache/jguix/sid-root}
in_root=$top/compat-tests/scripts/in-sid-root.sh
flags=(--build-users-group=guixbuild --no-substitutes)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }
command -v mvn >/dev/null || die "needs mvn (apt-get install maven)"
command -v bwrap >/dev/null || die "needs bwrap (apt-get install bubblewrap)"
((EUID == 0)) || die "must run as root (the sid root runs guix-daemon as root, like the harness)"
[[ -f $sid_root/.jguix-root-ready ]] || die "no sid root at $sid_root (compat-tests/scripts/make-sid-root.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jguix-bench-daemon.XXXXXX")
cleanup() {
  mountpoint -q "$tmp/tmpfs" 2>/dev/null && umount "$tmp/tmpfs"
  chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/out" "$tmp/tmpfs"

# --- build: the daemon and the load client; no rebuild while timing (JGUIX_NO_BUILD below).
jdk=$(find_java jdk) || die "no JDK 21+ found"
say "building (mvn install -DskipTests of daemon and bench/daemon-load)..."
# copy-dependencies keeps a jar already in target/lib when it is newer than the reactor's, e.g. one
# copied from ~/.m2 by an earlier build without -am: drop the project's own jars so that what runs is
# this checkout.
rm -f "$top"/daemon/target/lib/jguix-*.jar "$top"/bench/daemon-load/target/lib/jguix-*.jar
JAVA_HOME=$jdk MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} \
  mvn -q -B -f "$top/pom.xml" -pl daemon,bench/daemon-load -am install -DskipTests >"$tmp/mvn.log" 2>&1 \
  || { grep -v '^WARNING' "$tmp/mvn.log" | tail -n 30 >&2; die "build failed"; }

# The daemon's start-up cache (scripts/launch) for the sid root's JVM, recorded once per build with the
# project writable; the rounds then run with the project read-only, as a daemon restarted after its
# first start does.
say "recording the daemon's start-up cache for the sid root's JVM..."
"$in_root" --scratch "$tmp/cache-scratch" --bind "$top:/jguix" -- env JGUIX_NO_BUILD=1 /jguix/jguix-daemon --version \
  >/dev/null || die "jguix-daemon --version failed in the sid root"
chmod -R u+w "$tmp/cache-scratch"; rm -rf "$tmp/cache-scratch"

# --- one daemon, one round: the load client (bench/daemon-load) runs inside the sid root on its
# JRE, starts the daemon itself and prints RESULT lines.  Project read-only at /jguix, as in the
# harness; /out collects the daemon's log.
# round NAME OUTFILE SCRATCH [CLIENT-OPTION VALUE]...
round() {
  local name=$1 outfile=$2 scratch=$3; shift 3
  local cmd
  case $name in
    real) cmd=(guix-daemon "${flags[@]}") ;;
    jguix) cmd=(env JGUIX_NO_BUILD=1 /jguix/jguix-daemon "${flags[@]}") ;;
    # Test-only: content not fsynced before registration (FileTrees), to show what the syncs cost.
    jguix-nosync) cmd=(env JGUIX_NO_BUILD=1 JGUIX_JVM_OPTS=-Djguix.test.skipContentSync=true
                       /jguix/jguix-daemon "${flags[@]}") ;;
  esac
  : >"$tmp/out/$name.log"
  if ! "$in_root" --scratch "$scratch" --ro-bind "$top:/jguix" --bind "$tmp/out:/out" -- \
      java -XX:+UseSerialGC -cp '/jguix/bench/daemon-load/target/daemon-load.jar:/jguix/bench/daemon-load/target/lib/*' \
      org.jguix.bench.daemon.DaemonLoad --log "/out/$name.log" --adds "$adds" --queries "$queries" \
      --clients "$clients" --per-client "$per_client" --idle "$idle" --warmup "$warmup" --restarts "$restarts" "$@" \
      -- "${cmd[@]}" >"$outfile" 2>"$outfile.err"; then
    cat "$outfile" "$outfile.err" >&2
    tail -n 20 "$tmp/out/$name.log" | sed 's/^/  daemon.log: /' >&2
    die "$name round failed"
  fi
  chmod -R u+w "$scratch"; rm -rf "$scratch"
}

for ((r = 1; r <= runs; r++)); do
  order=(real jguix); ((r % 2 == 0)) && order=(jguix real)
  for d in "${order[@]}"; do
    say "round $r/$runs: $d..."
    extra=()
    [[ $r == 1 && ${BENCH_GUIX_REPL:-1} == 1 ]] && extra=(--repl-script /jguix/bench/daemon-load/add-text.scm)
    round "$d" "$tmp/$d.$r" "$tmp/scratch" "${extra[@]}"
  done
done
# The store on tmpfs, add-text only: what the writes cost without the disk (fsync, journal).
tmpfs=false
if [[ ${BENCH_TMPFS:-1} == 1 ]] && mount -t tmpfs -o size=2g jguix-bench "$tmp/tmpfs" 2>/dev/null; then
  tmpfs=true
  for ((r = 1; r <= runs; r++)); do
    order=(real jguix); ((r % 2 == 0)) && order=(jguix real)
    for d in "${order[@]}"; do
      say "tmpfs round $r/$runs: $d..."
      round "$d" "$tmp/$d.tmpfs.$r" "$tmp/tmpfs/scratch" --phases add-text --restarts 0
    done
  done
fi

# jguix without its content fsyncs (test-only switch), add-text only, on the disk: the syncs' cost.
nosync=false
if [[ ${BENCH_NOSYNC:-1} == 1 ]]; then
  nosync=true
  for ((r = 1; r <= runs; r++)); do
    say "no-fsync round $r/$runs: jguix..."
    round jguix-nosync "$tmp/jguix-nosync.$r" "$tmp/scratch" --phases add-text --restarts 0
  done
fi

# --- results
# get FILE PHASE FIELD: one field of a RESULT line
get() { sed -n "s/^RESULT $2 .*\b$3=\([^ ]*\).*/\1/p" "$1"; }
# med DAEMON PHASE FIELD: median over the rounds
med() {
  local r
  for ((r = 1; r <= runs; r++)); do get "$tmp/$1.$r" "$2" "$3"; done | sort -g \
    | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "PASS" : "FAIL") }'; }
s2() { awk -v a="$1" 'BEGIN { printf "%.3f", a }'; }
mib() { awk -v a="$1" 'BEGIN { printf "%.0f", a / 1024 }'; }

# Answers must agree between the daemons and across rounds.
for phase in add-text valid-path mixed; do
  want=$(get "$tmp/real.1" "$phase" digest)
  for f in "$tmp"/{real,jguix}.[0-9]* "$tmp"/{real,jguix}.tmpfs.[0-9]* "$tmp"/jguix-nosync.[0-9]*; do
    [[ $f == *.err || ! -f $f ]] && continue
    [[ ( $f == *.tmpfs.* || $f == */jguix-nosync.* ) && $phase != add-text ]] && continue
    got=$(get "$f" "$phase" digest)
    [[ $got == "$want" ]] || die "$phase answers differ: ${f##*/} $got, real.1 $want"
  done
done
repl_real=$(get "$tmp/real.1" guix-repl digest) repl_jguix=$(get "$tmp/jguix.1" guix-repl digest)
[[ $repl_real == "$repl_jguix" ]] || die "guix repl add-text paths differ: real $repl_real, jguix $repl_jguix"

rows=()
row() { rows+=("$(printf '%-44s %-12s %-22s %-7s %-9s %s' "$@")"); }

tj=$(med jguix add-text secs) tr=$(med real add-text secs); r=$(ratio "$tr" "$tj")
row "add-text: $adds AddTextToStore, 1 connection" "$(s2 "$tj") s" "real $(s2 "$tr") s" "${r}x" ">= 1.50x" "$(verdict "$r" 1.5)"
tj=$(med jguix valid-path secs) tr=$(med real valid-path secs); r=$(ratio "$tr" "$tj")
row "valid-path: $queries IsValidPath, 1 connection" "$(s2 "$tj") s" "real $(s2 "$tr") s" "${r}x" ">= 2.00x" "$(verdict "$r" 2)"
ops=$((clients * per_client))
tj=$(med jguix mixed secs) tr=$(med real mixed secs); r=$(ratio "$tr" "$tj")
row "mixed: $clients clients x $per_client ops, throughput" "$(awk -v o=$ops -v t="$tj" 'BEGIN { printf "%.0f op/s", o / t }')" \
  "real $(awk -v o=$ops -v t="$tr" 'BEGIN { printf "%.0f op/s", o / t }')" "${r}x" ">= 2.00x" "$(verdict "$r" 2)"
tj=$(med jguix start secs) tr=$(med real start secs)
row "start-up to first answer, fresh store" "$(s2 "$tj") s" "real $(s2 "$tr") s" "-" "< 1 s" "$(verdict 1 "$tj")"
if ((restarts > 0)); then
  # every restart of every round, median
  rmed() { for f in "$tmp/$1".[0-9]*; do [[ $f == *.err ]] || get "$f" restart secs | tr , '\n'; done \
    | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
  tj=$(rmed jguix) tr=$(rmed real)
  row "start-up to first answer, populated store" "$(s2 "$tj") s" "real $(s2 "$tr") s" "-" "< 1 s" "$(verdict 1 "$tj")"
fi
mj=$(med jguix memory pid-hwm-kib) mr=$(med real memory sum-pss-kib)
row "memory: peak RSS during the mixed load" "$(mib "$mj") MiB" "real $(mib "$mr") MiB sum PSS" "-" "< 300 MiB" \
  "$( (($(mib "$mj") < 300)) && echo PASS || echo FAIL)"
if $tmpfs; then
  tj=$(med jguix.tmpfs add-text secs) tr=$(med real.tmpfs add-text secs); r=$(ratio "$tr" "$tj")
  row "add-text, store on tmpfs" "$(s2 "$tj") s" "real $(s2 "$tr") s" "${r}x" ">= 1.50x" "$(verdict "$r" 1.5) (info)"
fi
if $nosync; then
  tj=$(med jguix-nosync add-text secs) tr=$(med real add-text secs); r=$(ratio "$tr" "$tj")
  row "add-text, jguix without content fsync (test)" "$(s2 "$tj") s" "real $(s2 "$tr") s" "${r}x" "-" info
fi
if [[ -n $(get "$tmp/jguix.1" idle connections) ]]; then
  # per idle connection: the tree's PSS with them open minus before, over their number
  per() { awk -v a="$(med "$1" idle pss-kib)" -v b="$(med "$1" idle pss-before-kib)" -v n="$idle" \
    'BEGIN { printf "%.0f", (a - b) / n }'; }
  pj=$(per jguix) pr=$(per real); r=$(awk -v a="$pr" -v b="$pj" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  row "idle: $idle open connections, memory each" "$pj KiB" "real $pr KiB" "${r}x" "-" info
  row "idle: first answer to a new client meanwhile" "$(med jguix idle probe-ms) ms" "real $(med real idle probe-ms) ms" "-" "-" info
fi
tf=$(med jguix floor secs)
row "valid-path against a null responder (floor)" "$(s2 "$tf") s" "-" "-" "-" info
if [[ -n $repl_real ]]; then
  tj=$(get "$tmp/jguix.1" guix-repl secs) tr=$(get "$tmp/real.1" guix-repl secs); r=$(ratio "$tr" "$tj")
  row "guix repl: 2000 add-text-to-store (1 round)" "$(s2 "$tj") s" "real $(s2 "$tr") s" "${r}x" "-" info
fi

java_in_root=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$sid_root/usr/lib/jvm/java-21-openjdk-amd64/release" 2>/dev/null || true)
echo
echo "jguix daemon benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $runs rounds"
echo "real guix-daemon 1.5.0 and jguix-daemon (openjdk ${java_in_root:-21} in the sid root), each with a fresh store, flags ${flags[*]}"
echo "ratio = real time / jguix time (throughput: jguix / real); warm-up before the timed phases: $warmup adds, $((warmup * 10)) queries, $clients x $((warmup / 10)) mixed"
printf '%-44s %-12s %-22s %-7s %-9s %s\n' benchmark jguix reference ratio target verdict
printf '%s\n' "${rows[@]}"
echo
echo "details (medians): CPU seconds of the daemon (process tree) and of the load client, per phase"
for d in real jguix; do
  for phase in add-text valid-path mixed; do
    printf '  %-6s %-15s wall %7s s   daemon CPU %7s s   client CPU %6s s\n' "$d" "$phase" \
      "$(s2 "$(med "$d" "$phase" secs)")" "$(s2 "$(med "$d" "$phase" daemon-cpu)")" "$(s2 "$(med "$d" "$phase" client-cpu)")"
  done
done
if $tmpfs; then
  for d in real jguix; do
    printf '  %-6s %-15s wall %7s s   daemon CPU %7s s   client CPU %6s s\n' "$d" "add-text, tmpfs" \
      "$(s2 "$(med "$d.tmpfs" add-text secs)")" "$(s2 "$(med "$d.tmpfs" add-text daemon-cpu)")" "$(s2 "$(med "$d.tmpfs" add-text client-cpu)")"
  done
fi
if $nosync; then
  printf '  %-6s %-15s wall %7s s   daemon CPU %7s s   client CPU %6s s\n' jguix "add-text, no fsync" \
    "$(s2 "$(med jguix-nosync add-text secs)")" "$(s2 "$(med jguix-nosync add-text daemon-cpu)")" "$(s2 "$(med jguix-nosync add-text client-cpu)")"
  echo "  content fsync cost in jguix's add-text: $(awk -v a="$(med jguix add-text secs)" -v b="$(med jguix-nosync add-text secs)" -v n="$adds" \
    'BEGIN { printf "%.3f s over %d items, %.2f ms per item", a - b, n, (a - b) * 1000 / n }') (wall, with fsync minus without)"
fi
for phase in add-text valid-path mixed; do
  printf '  daemon CPU ratio real/jguix, %-11s %s\n' "$phase" \
    "$(ratio "$(med real "$phase" daemon-cpu)" "$(med jguix "$phase" daemon-cpu)")"
done
echo "  memory, real: sum PSS $(mib "$(med real memory sum-pss-kib)") MiB, sum RSS $(mib "$(med real memory sum-rss-kib)") MiB, largest process RSS $(mib "$(med real memory max-rss-kib)") MiB, $(med real memory processes) processes (daemon + one per connection)"
echo "  memory, jguix: peak RSS (VmHWM, whole run) $(mib "$(med jguix memory pid-hwm-kib)") MiB, sampled peak during the load $(mib "$(med jguix memory max-rss-kib)") MiB, PSS after it $(mib "$(med jguix memory pid-pss-kib)") MiB"
for d in real jguix; do
  echo "  start-up, $d: fresh $(for ((r = 1; r <= runs; r++)); do printf '%s ' "$(get "$tmp/$d.$r" start secs)"; done)s; restarts $(for ((r = 1; r <= runs; r++)); do printf '%s ' "$(get "$tmp/$d.$r" restart secs)"; done)s"
done
if [[ -n $repl_real ]]; then
  echo "  guix repl add-text: daemon CPU real $(get "$tmp/real.1" guix-repl daemon-cpu) s, jguix $(get "$tmp/jguix.1" guix-repl daemon-cpu) s (client CPU includes Guile's start-up)"
fi
echo "  answers (digests, equal for both daemons in every round): add-text $(get "$tmp/real.1" add-text digest), valid-path $(get "$tmp/real.1" valid-path digest), mixed $(get "$tmp/real.1" mixed digest)${repl_real:+, guix repl $repl_real}"
