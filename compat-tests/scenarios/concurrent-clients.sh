# Eight clients at once: each `guix repl' adds 25 text items (some shared between
# clients, some its own, each referring to the previous one) and queries them back
# (valid-path?, query-path-info, references).  All must succeed and agree; the sorted
# set of resulting paths goes to observed.txt.
source "$SCENARIO_DIR/lib.sh"

cat >"$WORK/client.scm" <<'SCM'
(define me (cadr (command-line)))
(define (loop i prev acc)
  (if (= i 25)
      (reverse acc)
      (let* ((shared (add-text-to-store %store (format #f "shared-~a" i)
                                        (format #f "shared item ~a\n" i)))
             (own (add-text-to-store %store (format #f "client-~a-~a" me i)
                                     (format #f "client ~a item ~a ~a\n" me i (or prev ""))
                                     (if prev (list prev) '()))))
        (unless (and (valid-path? %store shared) (valid-path? %store own))
          (error "not valid" shared own))
        (let ((info (query-path-info %store own)))
          (unless (equal? (path-info-references info) (if prev (list prev) '()))
            (error "wrong references" own (path-info-references info))))
        (unless (equal? (references %store own) (if prev (list prev) '()))
          (error "references RPC disagrees" own))
        (loop (+ i 1) own (cons* own shared acc)))))

(for-each (lambda (p) (display p) (newline)) (loop 0 #f '()))
SCM
pids=()
for c in 1 2 3 4 5 6 7 8; do
  { cat "$SCENARIO_DIR/lib.scm" "$WORK/client.scm" >"$WORK/client-$c.scm"
    guix repl -q "$WORK/client-$c.scm" "$c" >"$WORK/paths-$c" 2>"$WORK/err-$c"; } &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed=$((failed + 1)); echo "client $((i + 1)) failed:"; cat "$WORK/err-$((i + 1))"
  fi
done
((failed == 0)) || fail "$failed of 8 clients failed"
echo "ok: 8 clients succeeded"
for c in 1 2 3 4 5 6 7 8; do expect_eq "client $c items" 50 "$(wc -l <"$WORK/paths-$c")"; done
# Every client got the same shared paths.
for c in 2 3 4 5 6 7 8; do
  cmp <(grep -- '-shared-' "$WORK/paths-1") <(grep -- '-shared-' "$WORK/paths-$c") || fail "client $c: shared paths differ"
done
sort -u "$WORK"/paths-* >"$WORK/all"
expect_eq "distinct paths" $((8 * 25 + 25)) "$(wc -l <"$WORK/all")"
observe_file "$WORK/all"
