# QueryPathInfo: deriver, NAR hash, references, registration time and NAR size of a
# source, a text file with references, a built output and a .drv.  The NAR hash and size
# are checked against the client's own serialisation of the path and against Nix's
# (`nix-store --dump', an independent C++ NAR writer); the registration time
# must lie within this run (it is replaced by <TIME> in observed.txt; all else is kept).
source "$SCENARIO_DIR/lib.sh"

before=$(date +%s)
repl <<'SCM' | tee "$WORK/out.txt"
(define (nar-hash+size path)
  (let-values (((port get) (open-sha256-port)))
    (begin
      (write-file path port)
      (force-output port)
      (let ((hash (get)))
        ;; size: serialise again into a counting sink
        (let* ((size 0)
               (sink (make-custom-binary-output-port
                      "count" (lambda (bv start n) (set! size (+ size n)) n) #f #f #f)))
          (write-file path sink) (force-output sink)
          (values hash size))))))

(define (describe label path)
  (let ((info (query-path-info %store path)))
    (let-values (((hash size) (nar-hash+size path)))
      (unless (equal? hash (path-info-hash info))
        (error "nar hash differs from client's" path))
      (unless (= size (path-info-nar-size info))
        (error "nar size differs from client's" path size (path-info-nar-size info))))
    (show label "path" path)
    (show label "deriver" (path-info-deriver info))
    (show label "hash" (bytevector->nix-base32-string (path-info-hash info)))
    (show label "hash16" (bytevector->base16-string (path-info-hash info)))
    (show label "size" (path-info-nar-size info))
    (show label "references" (path-info-references info))
    (show label "time" (path-info-registration-time info))))

(define src (add-text-to-store %store "src" "some source\n"))
(define refs (add-text-to-store %store "refs" (string-append "uses " src "\n") (list src)))
(define drv (sh-derivation "out"
                           (string-append "echo $busybox " src " > $out")
                           #:sources (list src)))
(build-derivations %store (list drv))
(describe "source" src)
(describe "text-with-refs" refs)
(describe "bash" (bash))
(describe "drv" (derivation-file-name drv))
(describe "output" (derivation->output-path drv))

;; An invalid path: the error the client sees.
(show "invalid" (store-error
                 (lambda ()
                   (query-path-info %store "/gnu/store/00000000000000000000000000000000-nope"))))
SCM
after=$(date +%s)

while read -r label field value; do
  ((value >= before && value <= after)) || fail "$label registration time $value not in [$before, $after]"
done < <(grep -E '^[a-z-]+ time ' "$WORK/out.txt")
echo "ok: registration times within the run"
while read -r label field path; do
  hex=$(awk -v l="$label" '$1==l && $2=="hash16" {print $3}' "$WORK/out.txt")
  expect_eq "$label: nix-store --dump | sha256sum" "$hex" "$(nix-store --dump "$path" | sha256sum | cut -d' ' -f1)"
  expect_eq "$label: NAR size" "$(awk -v l="$label" '$1==l && $2=="size" {print $3}' "$WORK/out.txt")" \
    "$(nix-store --dump "$path" | wc -c)"
done < <(grep -E '^[a-z-]+ path /gnu/store/' "$WORK/out.txt")
grep -q '^invalid path .*-nope. is not valid$' "$WORK/out.txt" || fail "invalid path error"
expect_eq "output deriver" "$(awk '$1=="drv" && $2=="path" {print $3}' "$WORK/out.txt")" \
  "$(awk '$1=="output" && $2=="deriver" {print $3}' "$WORK/out.txt")"
sed -E 's/^([a-z-]+) time [0-9]+$/\1 time <TIME>/' "$WORK/out.txt" >>"$OBSERVED"
