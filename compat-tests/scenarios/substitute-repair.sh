# daemon-flags: --build-users-group=guixbuild --substitute-urls=file:///tmp/subst-cache
# Repair by substitution (SubstitutionGoal with repair, LocalStore::repairPath): `dep' (a
# directory), `top' (whose output refers to dep's) and a text item without deriver are built or
# added, put in the file:// cache (files/make-cache.scm), then corrupted in the store (made
# writable, changed, made read-only again) and repaired with substitutes on: `guix build --repair'
# of top with top's output corrupted (a substitute replaces it, nothing is built), then with dep's
# (the closure check finds it, dep's repair goal substitutes it), `guix gc --verify=contents,repair'
# with the text item and dep corrupted (both come from the cache, the text item although it has no
# deriver), a corrupted output whose NAR the cache has lost (`guix build --repair' fails without
# --fallback, with it the deriver is rebuilt in repair mode; the verification's repair makes
# guix-daemon 1.5.0's worker abort on an assertion, where jguix rebuilds the deriver), and one
# the cache never had (the verification rebuilds its deriver).  Observed for each step: the exit
# status, stdout and stderr (sorted; the agent's progress bars normalised), and the repaired
# contents, modes and NAR hashes.  Normalised: progress bars (speeds), the client's port address.
source "$SCENARIO_DIR/lib.sh"

step_filter() { perl -pe 's/(\r\e\[K[^\r\n]*)+/<progress>/g; s/\e\[K//g; s/#<closed: file [0-9a-f]+>/#<closed: file N>/g'; }

guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
guix archive --authorize </etc/guix/signing-key.pub || fail "--authorize"

dep=$(drv '(sh-derivation "srepair-dep" "mkdir $out; echo dep > $out/data; echo tool > $out/tool; chmod +x $out/tool")')
top=$(repl <<SCM
(define dep (read-derivation-from-file "$dep"))
(show (derivation-file-name
       (sh-derivation "srepair-top" "echo building top; echo \$dep/data > \$out"
                      #:inputs (list (derivation-input dep))
                      #:env-vars (list (cons "dep" (derivation->output-path dep))))))
SCM
)
lone=$(drv '(sh-derivation "srepair-lone" "echo building lone; echo lone > $out")')
nosub=$(drv '(sh-derivation "srepair-nosub" "echo building nosub; echo nosub > $out")')
top_out=$(guix build --no-substitutes "$top") || fail "guix build top"
dep_out=$(guix build --no-substitutes "$dep") || fail "guix build dep"
lone_out=$(guix build --no-substitutes "$lone") || fail "guix build lone"
nosub_out=$(guix build --no-substitutes "$nosub") || fail "guix build nosub"
txt=$(repl <<<'(show (add-text-to-store %store "srepair-text" "text\n"))')
observe "outputs: $top_out $dep_out $lone_out $nosub_out $txt"
guix repl -q "$SCENARIO_DIR/files/make-cache.scm" /tmp/subst-cache "$top_out" "$dep_out" "$lone_out" "$txt" \
  || fail "make-cache"
# lone's narinfo stays, its NAR goes: the substituter finds it but cannot fetch it.
rm /tmp/subst-cache/nar/"$(basename "$lone_out")"

info() { repl <<<"(let ((i (query-path-info %store \"$1\"))) (show (bytevector->nix-base32-string (path-info-hash i)) (path-info-nar-size i) (path-info-deriver i)))"; }
observe "hashes: $(info "$top_out") / $(info "$dep_out") / $(info "$txt")"

state() {
  observe "  top: $(cat "$top_out") $(stat -c %a "$top_out") $(info "$top_out")"
  observe "  dep: $(cat "$dep_out/data") $(stat -c %a "$dep_out") $(stat -c %a "$dep_out/data") $(stat -c %a "$dep_out/tool") $(info "$dep_out")"
  observe "  text: $(cat "$txt") $(stat -c %a "$txt") $(info "$txt")"
  observe "  lone: $(cat "$lone_out") $(stat -c %a "$lone_out") $(info "$lone_out")"
  observe "  nosub: $(cat "$nosub_out") $(stat -c %a "$nosub_out") $(info "$nosub_out")"
}

# 1. The output itself is corrupted: substituted, not built.
corrupt "$top_out" "garbage"
observe_step "repair top" guix build --repair "$top"
state
expect_eq "top repaired" "$dep_out/data" "$(cat "$top_out")"
grep -q 'building top' "$WORK/err" && fail "top was built, not substituted"
# 2. A path in its closure (the output of an input derivation) is corrupted.
corrupt "$dep_out/data" "bad dep"
observe_step "repair closure" guix build --repair "$top"
state
expect_eq "dep repaired" "dep" "$(cat "$dep_out/data")"
# 3. guix gc --verify with repair: dep (has a deriver) and the text item (has none).
corrupt "$dep_out/data" "bad again"
corrupt "$txt" "bad text"
observe_step "verify repair" guix gc --verify=contents,repair
state
observe_step "verify after" guix gc --verify=contents
# 4. No substitute at all: the verification rebuilds the deriver.
corrupt "$nosub_out" "bad nosub"
observe_step "verify repair nosub" guix gc --verify=contents,repair
state
expect_eq "nosub repaired" "nosub" "$(cat "$nosub_out")"
# 5. A substitute whose NAR is gone: without --fallback the repair fails, with it lone is rebuilt.
corrupt "$lone_out" "bad lone"
observe_step "repair lone" guix build --repair "$lone"
state
observe_step "repair lone fallback" guix build --repair --fallback "$lone"
state
# The verification's repair of lone after its substitution failed: guix-daemon 1.5.0's worker
# aborts on an assertion (`!awake.empty()' in Worker::run), so the client's connection ends and
# nothing is repaired; jguix departs from that on purpose and rebuilds lone's deriver in repair mode.
corrupt "$lone_out" "bad lone again"
status=0
guix gc --verify=contents,repair >"$WORK/out" 2>"$WORK/err" || status=$?
cat "$WORK/out" "$WORK/err"
grep -q "path \`$lone_out' was modified! expected hash" "$WORK/err" || fail "lone's corruption was not found"
if [[ $SCENARIO_DAEMON_CMD == *jguix-daemon* ]]; then
  ((status == 0)) || fail "jguix: verify repair of lone exited $status"
  expect_eq "lone rebuilt by the repair" "lone" "$(cat "$lone_out")"
  grep -q 'building lone' "$WORK/err" || fail "jguix: lone was not rebuilt"
else
  ((status != 0)) || fail "guix-daemon: verify repair of lone succeeded (1.5.0 aborts there)"
  grep -q 'corrupt input while restoring archive' "$WORK/err" || fail "guix-daemon: no abort"
  expect_eq "lone left corrupt" "bad lone again" "$(cat "$lone_out")"
fi
observe "verify repair lone: found; guix-daemon 1.5.0 aborts, jguix rebuilds"
