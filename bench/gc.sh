#!/usr/bin/env bash
# bench/gc.sh: the issue #6 garbage-collection benchmark — the real guix-daemon and jguix
# collecting the same store in one run, each in the harness's sid root, through the real
# guix 1.5.0 client.
#
#   bench/gc.sh                     # BENCH_ITEMS=10000 paths, BENCH_DEAD=3000 of them dead, 3 rounds
#   BENCH_SMALL=1 bench/gc.sh       # 2000 / 600, 1 round, for working on the script
#
# The store is populated once, by the real guix-daemon: BENCH_ITEMS add-text-to-store items
# of 256–3,255 bytes in chains of 100 (each item refers to the previous one in its chain and
# to the chain's first), the last item of each live chain an indirect GC root; the dead
# chains have no root. Each round copies that store (store directory, database, roots) for
# each daemon, in alternating order, starts the daemon on it, runs `guix gc --list-live` and
# `guix gc --list-dead` BENCH_LISTS times each (the first of each unmeasured: it warms both
# the page cache and jguix's JIT), then `guix gc` (deleting the dead paths) while a second
# client runs an add-text-to-store loop, one item at a time; the stall row is the longest
# single add-text-to-store among those running during the collection. Ratio = real / jguix.
# BENCH_WRITER=0 runs the collection without the concurrent writer (and without the stall row);
# BENCH_BUILD=0 uses the jars as built; BENCH_JVM_OPTS are added to jguix's JVM options (e.g.
# -XX:StartFlightRecording=filename=/out/gc.jfr with BENCH_KEEP=1: /out is $tmp/out).
# Every round checks the answers: both daemons list the same live and dead paths, the dead
# list has BENCH_DEAD paths plus the .drv-less leftovers of the population (none), and after
# the collection exactly the live paths remain valid.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
in_root=$top/compat-tests/scripts/in-sid-root.sh
say() { printf '%s\n' "$*" >&2; }
die() { say "bench/gc.sh: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (bwrap as in compat-tests)"
if [[ -n ${BENCH_SMALL:-} ]]; then items=${BENCH_ITEMS:-2000}; dead=${BENCH_DEAD:-600}; runs=${BENCH_RUNS:-1}
else items=${BENCH_ITEMS:-10000}; dead=${BENCH_DEAD:-3000}; runs=${BENCH_RUNS:-3}; fi
lists=${BENCH_LISTS:-4}
((items % 100 == 0 && dead % 100 == 0 && dead < items)) || die "BENCH_ITEMS and BENCH_DEAD: multiples of 100, dead < items"
"$top/compat-tests/scripts/make-sid-root.sh" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jguix-bench-gc.XXXXXX")
cleanup() {
  mountpoint -q "$tmp/tmpfs" 2>/dev/null && umount "$tmp/tmpfs"
  if [[ -n ${BENCH_KEEP:-} ]]; then say "kept $tmp"; else chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; fi
}
trap cleanup EXIT
mkdir -p "$tmp/out"
printf '%s' "${BENCH_JVM_OPTS:-}" >"$tmp/out/jvm-opts"

if [[ ${BENCH_BUILD:-1} == 1 ]]; then
  say "building jguix (mvn package -DskipTests)..."
  ( source "$top/scripts/java-env.sh"; JAVA_HOME=$(find_java jdk) || die "no JDK 21+"; export JAVA_HOME
    mvn -q -B -f "$top/pom.xml" -pl daemon -am package -DskipTests >"$tmp/mvn.log" 2>&1 ) \
    || { tail -n 30 "$tmp/mvn.log" >&2; die "build failed"; }
fi

cat >"$tmp/out/inside.sh" <<'INSIDE'
set -euo pipefail
daemon=$1 items=$2 dead=$3 lists=$4 result=$5
sock=/var/guix/daemon-socket/socket
start_daemon() {
  rm -f "$sock"
  case $1 in
    real) guix-daemon --build-users-group=guixbuild --no-substitutes >>/tmp/daemon.log 2>&1 & ;;
    jguix) JGUIX_NO_BUILD=1 JGUIX_JVM_OPTS="$(cat /out/jvm-opts 2>/dev/null)" /jguix/jguix-daemon --build-users-group=guixbuild --no-substitutes \
             >>/tmp/daemon.log 2>&1 & ;;
  esac
  echo $! >/tmp/daemon.pid
  for _ in $(seq 600); do [[ -S $sock ]] && break; sleep 0.1; done
  [[ -S $sock ]] || { cat /tmp/daemon.log >&2; exit 1; }
}
ms() { echo $(($(date +%s%N) / 1000000)); }

if [[ $daemon == populate ]]; then
  start_daemon real
  mkdir -p /var/guix/gcroots/bench
  cat >/tmp/populate.scm <<SCM
(use-modules (guix store) (srfi srfi-1))
(define s (open-connection))
(define chains (/ $items 100))
(define live-chains (- chains (/ $dead 100)))
(let chain ((c 0))
  (when (< c chains)
    (let item ((i 0) (first #f) (prev #f))
      (if (< i 100)
          (let* ((n (+ (* c 100) i))
                 (p (add-text-to-store s (string-append "gc-bench-" (number->string n))
                                       (string-append "item " (number->string n) "\n"
                                                      (make-string (+ 256 (modulo (* n 997) 3000)) #\x))
                                       (delete-duplicates (filter identity (list first prev))))))
            (item (+ i 1) (or first p) p))
          (when (< c live-chains)
            (symlink prev (string-append "/var/guix/gcroots/bench/chain-" (number->string c))))))
    (chain (+ c 1))))
SCM
  guix repl -q /tmp/populate.scm
  kill %1; wait || true
  exit 0
fi

start_daemon "$daemon"
# The RPCs are timed inside Guile (its start-up, about 0.2 s, excluded): live-paths and
# dead-paths are what `guix gc --list-live/--list-dead' call, collect-garbage `guix gc'.
cat >/tmp/lists.scm <<SCM
(use-modules (guix store) (ice-9 format) (ice-9 textual-ports) (srfi srfi-1) (srfi srfi-11))
(define s (open-connection))
(define (ms thunk)
  (let* ((t0 (get-internal-real-time)) (v (thunk)))
    (values v (quotient (* 1000 (- (get-internal-real-time) t0)) internal-time-units-per-second))))
;; The daemon's CPU (user + system, in clock ticks of 10 ms): its process and its children, which
;; are guix-daemon's per-connection processes.
(define dpid (string-trim-right (call-with-input-file "/tmp/daemon.pid" get-string-all)))
(define (ticks pid)
  (catch #t
    (lambda ()
      (let* ((s (call-with-input-file (string-append "/proc/" pid "/stat") get-string-all))
             (f (string-split (substring s (+ 2 (string-rindex s #\)))) #\space)))
        (+ (string->number (list-ref f 11)) (string->number (list-ref f 12)))))
    (lambda _ 0)))
(define (daemon-cpu)
  (let ((kids (catch #t (lambda () (string-tokenize (call-with-input-file
                (string-append "/proc/" dpid "/task/" dpid "/children") get-string-all))) (lambda _ '()))))
    (* 10 (reduce + 0 (map ticks (cons dpid kids))))))
(define (save file paths)
  (call-with-output-file file (lambda (p) (for-each (lambda (x) (display x p) (newline p)) paths))))
(for-each (lambda (what proc)
  (let loop ((i 1))
    (when (<= i $lists)
      (let*-values (((c0) (daemon-cpu)) ((paths t) (ms (lambda () (proc s)))) ((c1) (daemon-cpu)))
        (unless (= i 1) (format #t "list-~a ~a~%list-~a-cpu ~a~%" what t what (- c1 c0)))
        (save (string-append "/tmp/" what) paths))
      (loop (+ i 1)))))
  '("live" "dead") (list live-paths dead-paths))
SCM
guix repl -q /tmp/lists.scm >"$result"
for what in live dead; do
  sort /tmp/$what | sha256sum | cut -c1-16 | sed "s/^/$what-digest /" >>"$result"
  echo "$what-count $(wc -l </tmp/$what)" >>"$result"
done

# The concurrent writer: one add-text-to-store at a time, each line "START END" in µs.
cat >/tmp/writer.scm <<'SCM'
(use-modules (guix store))
(define s (open-connection))
(define (now) (let ((t (gettimeofday))) (+ (* (car t) 1000000) (cdr t))))
(let loop ((i 0))
  (unless (file-exists? "/tmp/stop-writer")
    (let* ((t0 (now))
           (p (add-text-to-store s (string-append "gc-writer-" (number->string i))
                                 (string-append "writer " (number->string i) "\n"))))
      (format #t "~a ~a~%" t0 (now))
      (force-output)
      (loop (+ i 1)))))
SCM
[[ ${BENCH_WRITER:-1} == 1 ]] || touch /tmp/stop-writer # no concurrent writer: the collection alone
guix repl -q /tmp/writer.scm >/tmp/writer.out 2>/tmp/writer.err &
writer=$!
sleep 1 # the writer is connected and adding
cat >/tmp/collect.scm <<'SCM'
(use-modules (guix store) (ice-9 format) (srfi srfi-11))
(define s (open-connection))
(define (now) (let ((t (gettimeofday))) (+ (* (car t) 1000000) (cdr t))))
(define t0 (now))
(define-values (deleted freed) (collect-garbage s))
(define t1 (now))
(format #t "gc ~a ~a ~a~%" t0 t1 (length deleted))
SCM
guix repl -q /tmp/collect.scm >/tmp/collect.out 2>/tmp/gc.out
read -r _ g0 g1 _ </tmp/collect.out
sleep 0.3
touch /tmp/stop-writer; wait "$writer"
echo "delete $(((g1 - g0) / 1000))" >>"$result"
awk -v g0="$g0" -v g1="$g1" '$2 >= g0 && $1 <= g1 { d = $2 - $1; if (d > m) m = d; n++ }
  END { printf "stall %.1f\nwriter-ops %d\n", m / 1000, n }' /tmp/writer.out >>"$result"
echo "deleted $(grep -c "^\[.*\] deleting '/gnu/store/.*-gc-bench-" /tmp/gc.out || true)" >>"$result"
guix gc --list-live 2>/dev/null | grep -- '-gc-bench-' | sort | sha256sum | cut -c1-16 | sed 's/^/after-live /' >>"$result"
kill %1 2>/dev/null || true; wait 2>/dev/null || true
cp /tmp/daemon.log "$result.log" 2>/dev/null || true
INSIDE

say "populating $items items ($dead dead) with the real guix-daemon..."
base=$tmp/base
mkdir -p "$base"
"$in_root" --scratch "$base" --bind "$tmp/out:/out" -- bash /out/inside.sh populate "$items" "$dead" 0 /dev/null \
  2>"$tmp/populate.err" || { cat "$tmp/populate.err" >&2; die "populating failed"; }

round() { # daemon result-name scratch-dir
  cp -a "$base" "$3"
  "$in_root" --scratch "$3" --ro-bind "$top:/jguix" --bind "$tmp/out:/out" -- \
    bash /out/inside.sh "$1" "$items" "$dead" "$lists" "/out/$2" 2>"$tmp/$2.err" \
    || { cat "$tmp/$2.err" >&2; die "$2 failed"; }
  chmod -R u+w "$3"; rm -rf "$3"
  say "$2: $(tr '\n' ' ' <"$tmp/out/$2")"
}
# floor DIR: the time to unlink the dead items' files from a copy of the store in DIR, nothing else
# (one rm, then 4 in parallel on a second copy), after a sync so that only the unlinks are timed.
floor() {
  local n0=$((items - dead)) k
  for k in 1 4; do
    cp -a "$base/gnu" "$1"
    find "$1/store" -maxdepth 1 -name '*-gc-bench-*' | awk -F-gc-bench- -v n0="$n0" '$2 >= n0' >"$tmp/dead-files"
    [[ $(wc -l <"$tmp/dead-files") == "$dead" ]] || die "floor: $(wc -l <"$tmp/dead-files") dead files, expected $dead"
    sync
    local t0; t0=$(date +%s%N)
    xargs -P "$k" -n $((dead / k)) rm -f <"$tmp/dead-files"
    echo "floor-$k $((($(date +%s%N) - t0) / 1000000))"
    sync; rm -rf "$1"
  done
}

for r in $(seq "$runs"); do
  order=(real jguix); ((r % 2 == 0)) && order=(jguix real)
  for d in "${order[@]}"; do round "$d" "$d.$r" "$tmp/scratch.$d.$r"; done
done
floor "$tmp/floor" >"$tmp/out/floor"

# The same on a tmpfs, one round: the daemons' own costs without the disk's (its discards above all).
tmpfs=false
if [[ ${BENCH_TMPFS:-1} == 1 ]] && mkdir -p "$tmp/tmpfs" && mount -t tmpfs -o size=2g jguix-bench-gc "$tmp/tmpfs" 2>/dev/null; then
  tmpfs=true
  for d in real jguix; do round "$d" "$d.tmpfs" "$tmp/tmpfs/scratch.$d"; done
  floor "$tmp/tmpfs/floor" >"$tmp/out/floor.tmpfs"
fi

. "$top/bench/rounds.sh"   # median, get
for r in $(seq "$runs"); do
  for k in live-digest dead-digest live-count dead-count deleted after-live; do
    a=$(awk -v k=$k '$1 == k {print $2}' "$tmp/out/real.$r") b=$(awk -v k=$k '$1 == k {print $2}' "$tmp/out/jguix.$r")
    [[ $a == "$b" ]] || die "round $r: $k differs: real $a, jguix $b"
  done
  deleted=$(awk '$1 == "deleted" {print $2}' "$tmp/out/jguix.$r")
  [[ $deleted == "$dead" ]] || die "round $r: $deleted gc-bench paths deleted, expected $dead"
done
printf '%-52s %10s %10s %8s %9s %s\n' benchmark jguix real ratio target verdict
row() { # name jguix-ms real-ms target
  local ratio; ratio=$(awk -v r="$3" -v j="$2" 'BEGIN { if (j > 0) printf "%.2f", r / j; else print "-" }')
  local verdict; verdict=$(awk -v x="$ratio" -v t="$4" 'BEGIN { print (t == "-" ? "info" : (x != "-" && x >= t ? "PASS" : "FAIL")) }')
  printf '%-52s %8sms %8sms %7sx %9s %s\n' "$1" "$2" "$3" "$ratio" "${4/#-/report}" "$verdict"
}
row "guix gc --list-live ($items paths)" "$(get jguix list-live)" "$(get real list-live)" 5
row "  its daemon CPU (10 ms ticks)" "$(get jguix list-live-cpu)" "$(get real list-live-cpu)" -
row "guix gc --list-dead ($dead dead)" "$(get jguix list-dead)" "$(get real list-dead)" 5
row "  its daemon CPU" "$(get jguix list-dead-cpu)" "$(get real list-dead-cpu)" -
row "guix gc, deleting the $dead dead paths" "$(get jguix delete)" "$(get real delete)" 5
js=$(get jguix stall) rs=$(get real stall)
[[ ${BENCH_WRITER:-1} == 1 ]] && printf '%-52s %8sms %8sms %8s %9s %s\n' "longest add-text stall during guix gc" "$js" "$rs" "" "< 50 ms" \
  "$(awk -v j="$js" 'BEGIN { print (j < 50 ? "PASS" : "FAIL") }')"
tget() { awk -v k="$2" '$1 == k {print $2}' "$tmp/out/$1" | median; }
floor_row() { printf '%-52s %8sms %8sms %8s %9s %s\n' "$1" "$(tget "$2" floor-1)" "$(tget "$2" floor-4)" "" "" \
  "(1 rm / 4 in parallel)"; }
floor_row "floor: unlinking the $dead dead files" floor
if $tmpfs; then
  row "tmpfs: guix gc --list-live" "$(tget jguix.tmpfs list-live)" "$(tget real.tmpfs list-live)" -
  row "tmpfs: guix gc --list-dead" "$(tget jguix.tmpfs list-dead)" "$(tget real.tmpfs list-dead)" -
  row "tmpfs: guix gc, deleting" "$(tget jguix.tmpfs delete)" "$(tget real.tmpfs delete)" -
  floor_row "tmpfs floor: unlinking them" floor.tmpfs
  [[ ${BENCH_WRITER:-1} == 1 ]] && printf '%-52s %8sms %8sms\n' "tmpfs: longest add-text stall" \
    "$(tget jguix.tmpfs stall)" "$(tget real.tmpfs stall)"
fi
say "details: writer add-texts during the collection: jguix $(get jguix writer-ops), real $(get real writer-ops) (medians)"
