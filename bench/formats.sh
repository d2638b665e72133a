#!/usr/bin/env bash
# Benchmarks of the formats layer (issue #3), one run, one table of ratios.  See README.md.
#
#   bench/formats.sh            # full sizes: ~1 minute on 2 cores, ~3.5 GB in $TMPDIR
#   BENCH_SMALL=1 bench/formats.sh   # small sizes, for working on the script
#
# Every timing is the median of BENCH_RUNS runs; jguix and its reference alternate run by
# run, so load from other processes on a shared machine hits both alike.  Ratios are
# reference time / jguix time: above 1 means jguix is faster.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/scripts/java-env.sh"

runs=${BENCH_RUNS:-5}
if [[ -n ${BENCH_SMALL:-} ]]; then
  tree_files=500 tree_bytes=$((20 << 20)) big_mib=64 drvs=1000 nodes=2000
else
  tree_files=5000 tree_bytes=$((200 << 20)) big_mib=1024 drvs=10000 nodes=10000
fi
heap=${BENCH_HEAP:-32m}
sid_root=${JGUIX_SIDROOT:-/var/cache/jguix/sid-root}
in_root=$top/compat-tests/scripts/in-sid-root.sh

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }
for tool in openssl /usr/bin/time mvn awk; do
  command -v "$tool" >/dev/null || die "needs $tool (apt-get install ${tool##*/})"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jguix-bench.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/scratch"

# --- build: the bench mains (test classes) and what ./jguix runs; no rebuild while timing.
jdk=$(find_java jdk) || die "no JDK 21+ found"
java=$(find_java)/bin/java
say "building (mvn install -DskipTests of nar, derivation-aterm, daemon)..."
JAVA_HOME=$jdk MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} \
  mvn -q -B -f "$top/pom.xml" -pl nar,derivation-aterm,daemon -am install -DskipTests >"$tmp/mvn.log" 2>&1 \
  || { grep -v '^WARNING' "$tmp/mvn.log" | tail -n 30 >&2; die "build failed"; }
export JGUIX_NO_BUILD=1
jguix=$top/jguix
# The first run after a build also records the launcher's start-up cache (scripts/launch).
"$jguix" --version >/dev/null
java_home=$(dirname "$(dirname "$java")")
cache_used=$(cd "$top/daemon/target/jvm-cache" 2>/dev/null &&
  ls tools-*-"${java_home//[^A-Za-z0-9._-]/_}".{aot,jsa} 2>/dev/null | head -n1) || true
# The launcher's JVM flags, for the in-process benchmarks too.
jvm=("$java" -XX:+UseSerialGC)
nar_cp=$top/nar/target/classes:$top/nar/target/test-classes
drv_cp=$top/derivation-aterm/target/classes:$top/derivation-aterm/target/test-classes

# --- helpers
now() { date +%s%N; }
# secs CMD...: runs CMD (stdout to $tmp/out), prints its wall time in seconds.
secs() { local s e; s=$(now); "$@" >"$tmp/out"; e=$(now); awk -v d=$((e - s)) 'BEGIN { printf "%.4f\n", d / 1e9 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }
# verdict VALUE MIN: PASS if VALUE >= MIN
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "PASS" : "FAIL") }'; }
rows=()
row() { rows+=("$(printf '%-44s %-12s %-20s %-7s %-9s %s' "$@")"); }
have_root=false
[[ -f $sid_root/.jguix-root-ready ]] && have_root=true
# nix_secs ARGS...: one run of `nix ARGS` inside the sid root, timed inside (excludes bwrap).
nix_secs() {
  "$in_root" --scratch "$tmp/scratch" --bind "$tmp/data:/data" -- bash -c \
    's=$(date +%s%N); nix --extra-experimental-features nix-command "$@" >/data/nix.out; e=$(date +%s%N); echo $((e - s))' nix "$@" \
    | awk '{ printf "%.4f\n", $1 / 1e9 }'
}

# --- 1. NAR hash of a 200 MB tree of 5,000 files: jguix hash path vs nix hash path
tree=$tmp/data/tree
say "generating the tree ($tree_files files, $((tree_bytes >> 20)) MiB)..."
LC_ALL=C.UTF-8 "${jvm[@]}" -cp "$nar_cp" org.jguix.nar.bench.BenchTree "$tree" "$tree_files" "$tree_bytes" 42 >&2
find "$tree" -type f -exec cat {} + >/dev/null   # page cache: every run reads from memory
: >"$tmp/t.jguix"; : >"$tmp/t.nix"
for ((i = 0; i < runs; i++)); do
  secs "$jguix" hash path -f base64 "$tree" >>"$tmp/t.jguix"; jh="sha256-$(cat "$tmp/out")"
  if $have_root; then
    nix_secs hash path --algo sha256 /data/tree >>"$tmp/t.nix"; nh=$(cat "$tmp/data/nix.out")
    [[ $jh == "$nh" ]] || die "tree hash differs: jguix $jh, nix $nh"
  fi
done
say "tree NAR hash: $jh"
t_cli=$(median <"$tmp/t.jguix")
"${jvm[@]}" -cp "$nar_cp" org.jguix.nar.bench.NarHashBench "$tree" 7 2 >"$tmp/inproc.tree"
t_in=$(awk '/^RESULT/ { sub("median=", "", $3); print $3 }' "$tmp/inproc.tree")
if $have_root; then
  t_nix=$(median <"$tmp/t.nix")
  r=$(ratio "$t_nix" "$t_cli"); row "hash path, tree: CLI, cold JVM" "$t_cli s" "nix $t_nix s" "${r}x" ">= 1.00x" "$(verdict "$r" 1)"
  r=$(ratio "$t_nix" "$t_in"); row "hash path, tree: in-process, steady state" "$t_in s" "nix $t_nix s" "${r}x" ">= 1.00x" "$(verdict "$r" 1)"
else
  row "hash path, tree: CLI, cold JVM" "$t_cli s" "(no sid root)" "-" ">= 1.00x" SKIP
  row "hash path, tree: in-process, steady state" "$t_in s" "(no sid root)" "-" ">= 1.00x" SKIP
fi

# --- 2. One large file: jguix hash file / hash path vs openssl sha256
big=$tmp/data/big
say "generating a ${big_mib} MiB file..."
head -c $((big_mib << 20)) /dev/zero \
  | openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000 -nosalt -out "$big"
: >"$tmp/b.ssl"; : >"$tmp/b.file"; : >"$tmp/b.path"
for ((i = 0; i < runs; i++)); do
  secs openssl sha256 -r "$big" >>"$tmp/b.ssl"; oh=$(cut -d' ' -f1 "$tmp/out")
  secs "$jguix" hash file -f base16 "$big" >>"$tmp/b.file"; fh=$(cat "$tmp/out")
  [[ $fh == "$oh" ]] || die "file hash differs: jguix $fh, openssl $oh"
  secs "$jguix" hash path "$big" >>"$tmp/b.path"
done
"${jvm[@]}" -cp "$nar_cp" org.jguix.nar.bench.NarHashBench "$big" 5 2 >"$tmp/inproc.big"
t_ssl=$(median <"$tmp/b.ssl")
t=$(median <"$tmp/b.file"); r=$(ratio "$t_ssl" "$t")
row "hash file, ${big_mib} MiB: CLI, cold JVM" "$t s" "openssl $t_ssl s" "${r}x" ">= 0.85x" "$(verdict "$r" 0.85)"
t=$(median <"$tmp/b.path"); r=$(ratio "$t_ssl" "$t")
row "hash path (NAR), ${big_mib} MiB: CLI, cold JVM" "$t s" "openssl $t_ssl s" "${r}x" ">= 0.85x" "$(verdict "$r" 0.85)"
t=$(awk '/^RESULT/ { sub("median=", "", $3); print $3 }' "$tmp/inproc.big"); r=$(ratio "$t_ssl" "$t")
row "hash path (NAR), ${big_mib} MiB: in-process" "$t s" "openssl $t_ssl s" "${r}x" ">= 0.85x" "$(verdict "$r" 0.85)"

# --- 3. Parse + print of 10,000 real-size .drv files
say "parse + print of $drvs .drv files..."
"${jvm[@]}" -cp "$drv_cp" org.jguix.derivation.bench.DrvParsePrintBench "$top/fixtures/drv" "$tmp/drvs" "$drvs" 5 \
  >"$tmp/drv.out"
rm -rf "$tmp/drvs"
res=$(grep '^RESULT' "$tmp/drv.out")
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }
row "drv read+parse+print, per file (${drvs})" "$(field median-us) us" "cold round $(field first-us) us" "-" "-" info
row "drv parse+print from memory, per file" "$(field memory-median-us) us" "median $(field median-bytes) B/file" "-" "-" info

# --- 4. hashDerivationModulo over a 10,000-node graph, cold memo
say "hashDerivationModulo over $nodes derivations..."
"${jvm[@]}" -cp "$drv_cp" org.jguix.derivation.bench.HashModuloBenchmark "$nodes" >"$tmp/modulo.out"
res=$(grep '^RESULT' "$tmp/modulo.out")
first=$(field first-ms) med=$(field median-ms)
worst=$(awk -v a="$first" -v b="$med" 'BEGIN { print (a > b ? a : b) }')
row "hashDerivationModulo, $nodes nodes, cold memo" "$med ms" "cold JVM $first ms" "-" "< 1000 ms" \
  "$(verdict 1000 "$worst")"

# --- 5. Constant memory: nar dump | nar restore with -Xmx$heap, small and large file
say "nar dump | nar restore with -Xmx$heap..."
head -c $((1 << 20)) "$big" >"$tmp/data/small"
# pipe NAME FILE: dump FILE | restore it; prints "dumpRSS restoreRSS seconds" (RSS in MiB)
pipe() {
  local s e
  s=$(now)
  JGUIX_JVM_OPTS="-Xmx$heap" /usr/bin/time -f %M -o "$tmp/$1.dump.rss" "$jguix" nar dump "$2" \
    | JGUIX_JVM_OPTS="-Xmx$heap" /usr/bin/time -f %M -o "$tmp/$1.restore.rss" "$jguix" nar restore "$tmp/$1.out"
  e=$(now)
  cmp -s "$2" "$tmp/$1.out" || die "restored $2 differs"
  rm -f "$tmp/$1.out"
  echo "$(($(tail -n1 "$tmp/$1.dump.rss") >> 10)) $(($(tail -n1 "$tmp/$1.restore.rss") >> 10)) $(awk -v d=$((e - s)) 'BEGIN { printf "%.2f", d / 1e9 }')"
}
pipe small "$tmp/data/small" >"$tmp/small.mem"; read -r ds rs _ <"$tmp/small.mem"
pipe big "$big" >"$tmp/big.mem"; read -r db rb tb <"$tmp/big.mem"
grow=$(( (db > rb ? db : rb) - (ds > rs ? ds : rs) ))
row "nar dump, ${big_mib} MiB file, -Xmx$heap" "$db MiB RSS" "1 MiB file: $ds MiB" "+$grow MiB" "< +16 MiB" \
  "$( ((grow < 16)) && echo PASS || echo FAIL)"
row "nar restore, ${big_mib} MiB file, -Xmx$heap" "$rb MiB RSS" "1 MiB file: $rs MiB" "(${tb} s)" "succeeds" PASS

# --- table
echo
echo "jguix formats benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(basename "$(dirname "$(dirname "$java")")")/$("$java" -version 2>&1 | head -n1 | cut -d'"' -f2), median of $runs runs"
echo "tree: $tree_files files, $((tree_bytes >> 20)) MiB; ratio = reference time / jguix time"
printf '%-44s %-12s %-20s %-7s %-9s %s\n' benchmark jguix reference ratio target verdict
printf '%s\n' "${rows[@]}"
echo "start-up cache of ./jguix: ${cache_used:-none} (JGUIX_JVM_CACHE=${JGUIX_JVM_CACHE:-1})"
echo
echo "details: in-process rounds"
sed 's/^/  tree: /' "$tmp/inproc.tree"
sed 's/^/  big:  /' "$tmp/inproc.big"
grep -v '^RESULT' "$tmp/drv.out" | sed 's/^/  drv:  /'
grep -v '^RESULT' "$tmp/modulo.out" | sed 's/^/  modulo: /'
