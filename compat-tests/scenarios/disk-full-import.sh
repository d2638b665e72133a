# The store's file system fills up during an import (issue #6): /gnu is a 40 MiB tmpfs here
# (the database, under /var/guix, and the archive, under $WORK, are not on it).  A signed
# archive of three items (a small one, a 24 MiB one and a small one referring to it; `guix
# archive --export' sorts them topologically) is exported, the three are deleted and a 24 MiB
# filler is added, so that the archive no longer fits; `guix archive --import' must fail with
# the daemon's ENOSPC error, leave nothing registered that is not whole (each path's validity
# and contents are checked, `guix gc --verify=contents' must be clean), and the daemon must
# keep serving: after deleting the filler, the same archive imports and every item is whole.
# The same for a recursive add-to-store of the big file. observed.txt: the import's and the
# add's error texts, the validity of each item after the failure, the
# verify results and the items after the second import.  Item names are fixed, contents
# come from /dev/urandom (store paths are normalised to their names), the signing key is new
# each run.
# store-tmpfs: 40m
source "$SCENARIO_DIR/lib.sh"

guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
head -c $((24 * 1024 * 1024)) /dev/urandom >"$WORK/big"
head -c $((24 * 1024 * 1024)) /dev/urandom >"$WORK/filler"

repl <<SCM >"$WORK/paths" || fail "repl (add)"
(define small (add-text-to-store %store "small" "a small item\\n"))
(define big (add-to-store %store "big" #f "sha256" "$WORK/big"))
(define top (add-text-to-store %store "top" (string-append "refers to " big "\\n") (list big)))
(show "small" small)
(show "big" big)
(show "top" top)
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }
norm() { sed -E 's|/gnu/store/[a-z0-9]{32}-|/gnu/store/HASH-|g'; }

guix archive --export "$(p small)" "$(p big)" "$(p top)" >"$WORK/archive" 2>"$WORK/err" \
  || { cat "$WORK/err"; fail "--export"; }
guix gc --delete "$(p top)" "$(p big)" "$(p small)" >/dev/null 2>&1 || fail "delete before import"
[[ ! -e $(p big) ]] || fail "big still there"
repl <<<"(display (add-to-store %store \"filler\" #f \"sha256\" \"$WORK/filler\"))" >"$WORK/filler-path" \
  || fail "adding the filler"
df -k /gnu | tail -n 1

state() {  # WHAT: validity and wholeness of each item
  local k path valid whole
  for k in small big top; do
    path=$(p "$k")
    valid=$(repl <<<"(display (valid-path? %store \"$path\"))")
    whole=no
    case $k in
      big) cmp -s "$path" "$WORK/big" && whole=yes ;;
      small) [[ $(cat "$path" 2>/dev/null) == "a small item" ]] && whole=yes ;;
      top) [[ $(cat "$path" 2>/dev/null) == "refers to $(p big)" ]] && whole=yes ;;
    esac
    [[ $valid == "#t" && $whole == no ]] && fail "$1: $k is valid but not whole"
    observe "$1: $k valid $valid whole $whole"
  done
}


status=0
guix archive --import <"$WORK/archive" >"$WORK/out" 2>&1 || status=$?
cat "$WORK/out"
[[ $status != 0 ]] || fail "importing 24 MiB into 16 MiB of free space succeeded"
expect_match "import error names ENOSPC" "No space left on device" "$(cat "$WORK/out")"
observe "import into a full store: status $status: $(norm <"$WORK/out" | tr '\n' '|')"
state "after the failed import"
verify_clean "the failed import"

# A recursive add-to-store of the same file restores its NAR as an import does (restorePath).
out=$(repl <<<"(show (store-error (lambda () (add-to-store %store \"big\" #t \"sha256\" \"$WORK/big\"))))") \
  || fail "repl (recursive add)"
expect_match "recursive add error names ENOSPC" "No space left on device" "$out"
observe "recursive add-to-store into a full store: $out"
verify_clean "the failed recursive add"

# The daemon keeps serving: free the space (a collection also frees whatever the failed
# import left unregistered), then the same archive imports whole.
guix gc --delete "$(cat "$WORK/filler-path")" >/dev/null 2>&1 || fail "deleting the filler"
guix gc >/dev/null 2>&1 || fail "guix gc after the failed import"
guix archive --import <"$WORK/archive" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "second --import"; }
observe "second import: $(norm <"$WORK/out" | tr '\n' '|')"
state "after the second import"
observe "top references: $(guix gc --references "$(p top)" | norm | tr '\n' ' ')"
verify_clean "the second import"
