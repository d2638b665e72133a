# The store's file system fills up (issue #6): /gnu is a 40 MiB tmpfs here (the database,
# under /var/guix, is not on it).  An add-to-store of a 48 MiB file and a build writing
# 48 MiB must fail with "No space left on device", leave nothing valid of what failed and
# nothing that `guix gc --verify=contents' objects to; after a `guix gc' (which frees
# whatever a failed attempt left unregistered) the same connection, and a new one, add and
# build again.  observed.txt: the add's error text, the validity of each path, the verify
# results and the paths added afterwards.  guix-daemon leaves the partial file of a failed
# add in the store (unregistered) until a collection; jguix removes its temporary at once.
# store-tmpfs: 40m
source "$SCENARIO_DIR/lib.sh"

head -c $((48 * 1024 * 1024)) /dev/urandom >"$WORK/big"
head -c $((4 * 1024 * 1024)) < <(yes "a small item, after the space was freed") >"$WORK/small"

out=$(repl <<SCM
(define before (add-text-to-store %store "before" "added before the disk fills\\n"))
(show "before" before)
(show "big-error" (store-error (lambda () (add-to-store %store "big" #f "sha256" "$WORK/big"))))
;; The same connection keeps working once the space is back.
(show "after-error-valid" (valid-path? %store before))
SCM
) || fail "repl (add)"
printf '%s\n' "$out"
big_error=$(sed -n 's/^big-error //p' <<<"$out")
[[ -n $big_error && $big_error != "#f" ]] || fail "adding 48 MiB to a 40 MiB store succeeded"
expect_match "add error names ENOSPC" "No space left on device" "$big_error"
observe "add-to-store of 48 MiB: $big_error"
observe "$(grep '^before\|^after-error-valid' <<<"$out")"

# Whatever a failed add left in the store under that name is not valid.
for p in /gnu/store/*-big; do
  [[ -e $p ]] || continue
  [[ $(repl <<<"(display (valid-path? %store \"$p\"))") == "#f" ]] || fail "$p is valid after a failed add"
done

verify_clean "the failed add"
# guix-daemon leaves the partial file of a failed add in place (unregistered): a collection
# frees it.
guix gc >/dev/null 2>&1 || fail "guix gc after the failed add"

d=$(drv '(sh-derivation "fill" "head -c 50331648 /dev/urandom > $out")') || fail "derivation"
expect_fail "build that fills the store" guix build --no-substitutes "$d"
printf '%s\n' "$LAST_OUTPUT" | tail -n 5
out_path=$(repl <<<"(display (derivation->output-path (read-derivation-from-file \"$d\")))")
observe "fill output valid: $(repl <<<"(display (valid-path? %store \"$out_path\"))")"
verify_clean "the failed build"

guix gc >/dev/null 2>&1 || fail "guix gc after the failures"
out=$(repl <<SCM
(define small (add-to-store %store "small" #f "sha256" "$WORK/small"))
(show "small" small (equal? (file-contents small) (file-contents "$WORK/small")))
SCM
) || fail "add after the space was freed"
printf '%s\n' "$out"
observe "$out"
d2=$(drv '(sh-derivation "small-build" "echo fits > $out")') || fail "derivation 2"
built=$(guix build --no-substitutes "$d2") || fail "build after the space was freed"
expect_eq "small build" "fits" "$(cat "$built")"
observe "small build: $built"
