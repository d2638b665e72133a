# Garbage collection with roots: `guix build -r' registers an indirect root, which
# --list-roots shows and which keeps its output (and closure) alive; --list-live and
# --list-dead partition the store; --delete refuses live paths and deletes dead ones;
# a collection removes exactly the dead paths; removing the root frees the rest.
# Sorted path lists and the CLI's messages go to observed.txt (freed-space figures
# included: same files, same sizes; the deletion order is random, see normalise_gc).
source "$SCENARIO_DIR/lib.sh"

repl <<'SCM' >"$WORK/paths"
(define dead-text (add-text-to-store %store "dead-text" "nobody wants me\n"))
(define dep (add-text-to-store %store "dep" "kept through a reference\n"))
(define kept (sh-derivation "kept" "echo $dep > $out" #:sources (list dep)
                            #:env-vars `(("dep" . ,dep))))
(define loose (sh-derivation "loose" "echo loose > $out"))
(show "dead-text" dead-text)
(show "dep" dep)
(show "kept-drv" (derivation-file-name kept))
(show "kept" (derivation->output-path kept))
(show "loose-drv" (derivation-file-name loose))
(show "loose" (derivation->output-path loose))
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }
mkdir -p "$WORK/roots"
root=$WORK/roots/kept
guix build --no-substitutes -r "$root" "$(p kept-drv)" >/dev/null 2>&1 || fail "build with -r"
guix build --no-substitutes "$(p loose-drv)" >/dev/null 2>&1 || fail "build loose"
expect_eq "root symlink" "$(p kept)" "$(readlink "$root")"
ls -la /var/guix/gcroots/auto/ 
observe "auto roots: $(for l in /var/guix/gcroots/auto/*; do readlink "$l"; done | tr '\n' ' ')"

roots=$(guix gc --list-roots) || fail "--list-roots"
printf 'roots:\n%s\n' "$roots"
grep -qx "$root" <<<"$roots" || fail "root not listed by --list-roots"
observe "roots: $(tr '\n' ' ' <<<"$roots")"

live=$(guix gc --list-live 2>"$WORK/err" | sort) || fail "--list-live"
dead=$(guix gc --list-dead 2>>"$WORK/err" | sort) || fail "--list-dead"
cat "$WORK/err"
printf 'live:\n%s\ndead:\n%s\n' "$live" "$dead" | tee -a "$OBSERVED"
observe "list stderr: $(tr '\n' '|' <"$WORK/err")"
# kept.drv is live too: gc-keep-derivations defaults to true, so a live output keeps its
# deriver (and bash/busybox, the .drv's references).
for k in kept dep kept-drv; do grep -qx "$(p $k)" <<<"$live" || fail "$k not live"; done
for k in dead-text loose loose-drv; do grep -qx "$(p $k)" <<<"$dead" || fail "$k not dead"; done
[[ -z $(comm -12 <(echo "$live") <(echo "$dead")) ]] || fail "live and dead overlap"

expect_fail "deleting a live path" guix gc --delete "$(p kept)"
printf '%s\n' "$LAST_OUTPUT"
observe "delete live: $(tr '\n' '|' <<<"$LAST_OUTPUT")"
[[ -e $(p kept) ]] || fail "live path deleted"

guix gc --delete "$(p dead-text)" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--delete dead"; }
cat "$WORK/out"; observe "delete dead: $(normalise_gc <"$WORK/out" | tr '\n' '|')"
[[ ! -e $(p dead-text) ]] || fail "dead-text still there"

guix gc >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "collect"; }
cat "$WORK/out"; observe "collect: $(normalise_gc <"$WORK/out" | tr '\n' '|')"
for k in loose loose-drv; do [[ ! -e $(p $k) ]] || fail "$k survived the collection"; done
for k in kept dep kept-drv; do [[ -e $(p $k) ]] || fail "$k collected while rooted"; done
observe "store after collect: $(ls /gnu/store | sort | tr '\n' ' ')"

rm "$root"
guix gc >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "second collect"; }
cat "$WORK/out"; observe "collect without root: $(normalise_gc <"$WORK/out" | tr '\n' '|')"
for k in kept dep kept-drv; do [[ ! -e $(p $k) ]] || fail "$k survived without root"; done
observe "store at end: $(ls /gnu/store | sort | tr '\n' ' ')"
observe "roots at end: $(guix gc --list-roots | tr '\n' ' ')"
