# `guix gc --verify' on a healthy store, `--verify=contents' after corrupting a store
# file behind the daemon's back (it must name the path and both hashes), and
# deduplication on add, and `guix gc --optimize' hard-linking identical files of different store items into
# /gnu/store/.links.  CLI messages go to observed.txt.
source "$SCENARIO_DIR/lib.sh"

mkdir -p "$WORK/t1" "$WORK/t2"
head -c 20000 /bin/bash-static >"$WORK/t1/same"; cp "$WORK/t1/same" "$WORK/t2/same"
echo one >"$WORK/t1/own"; echo two >"$WORK/t2/own"
repl <<SCM >"$WORK/paths"
(show "t1" (add-to-store %store "t1" #t "sha256" "$WORK/t1"))
(show "t2" (add-to-store %store "t2" #t "sha256" "$WORK/t2"))
(show "victim" (add-text-to-store %store "victim" "original contents\n"))
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }

guix gc --verify >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--verify"; }
cat "$WORK/out"; observe "verify: $(tr '\n' '|' <"$WORK/out")"
guix gc --verify=contents >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--verify=contents"; }
cat "$WORK/out"; observe "verify contents: $(tr '\n' '|' <"$WORK/out")"

# guix-daemon deduplicates on registration (auto-optimise; --disable-deduplication
# turns it off): identical files are already one inode, linked from .links.
expect_eq "same inode after add" "$(stat -c %i "$(p t1)/same")" "$(stat -c %i "$(p t2)/same")"
expect_eq "link count after add (t1, t2, .links)" 3 "$(stat -c %h "$(p t1)/same")"
# Break the sharing behind the daemon's back (a copy with the same contents and mode),
# then --optimize must link it again.
cp -p "$(p t2)/same" "$WORK/copy"; mv -f "$WORK/copy" "$(p t2)/same"
[[ $(stat -c %i "$(p t1)/same") != $(stat -c %i "$(p t2)/same") ]] || fail "could not unshare the file"
touch -d @1 "$(p t2)/same"
guix gc --optimize >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--optimize"; }
cat "$WORK/out"; observe "optimize: $(tr '\n' '|' <"$WORK/out")"
expect_eq "same inode after --optimize" "$(stat -c %i "$(p t1)/same")" "$(stat -c %i "$(p t2)/same")"
links=$(stat -c %h "$(p t1)/same")
expect_eq "link count (t1, t2, .links)" 3 "$links"
ls /gnu/store/.links | sort >"$WORK/links"
observe "links: $(tr '\n' ' ' <"$WORK/links")"
[[ -s $WORK/links ]] || fail ".links is empty"
expect_eq "permissions kept" "444" "$(stat -c %a "$(p t1)/same")"
# Still verifies after optimisation.
guix gc --verify=contents >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--verify=contents after --optimize"; }

# Corrupt a file (root can write to the store from outside the daemon).
victim=$(p victim)
chmod u+w "$victim"; echo "tampered" >"$victim"; chmod u-w "$victim"
guix gc --verify >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--verify (metadata only) should not notice"; }
observe "verify after tampering: $(tr '\n' '|' <"$WORK/out")"
if guix gc --verify=contents >"$WORK/out" 2>&1; then rc=0; else rc=$?; fi
cat "$WORK/out"
observe "verify contents after tampering (exit $rc): $(tr '\n' '|' <"$WORK/out")"
grep -q "$victim" "$WORK/out" || fail "--verify=contents did not name $victim"
((rc != 0)) || fail "--verify=contents exited 0 on a corrupt store"
