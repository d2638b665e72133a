# Repair (BuildPaths mode 1, `guix build --repair'; VerifyStore with repair, `guix gc
# --verify=contents,repair'): a derivation `top' whose output refers to the output of
# `dep' is built; then outputs are corrupted in the store (made writable, changed, made
# read-only again) or deleted, and repaired.  Observed for each step: guix's exit status
# and stderr (the "checking path", "corrupted or missing", "found corrupted ... in the
# output closure" and "repairing path(s)" messages), the repaired contents, mode and NAR
# hash, and what VerifyStore reports.  A path without a deriver (added with add-to-store)
# cannot be repaired.  Normalised: nothing but the order of lines from concurrent goals.
source "$SCENARIO_DIR/lib.sh"

dep=$(drv '(sh-derivation "repair-dep" "mkdir $out; echo dep > $out/data; echo tool > $out/tool; chmod +x $out/tool")')
top=$(repl <<SCM
(define dep (read-derivation-from-file "$dep"))
(show (derivation-file-name
       (sh-derivation "repair-top" "echo \$dep/data > \$out"
                      #:inputs (list (derivation-input dep))
                      #:env-vars (list (cons "dep" (derivation->output-path dep))))))
SCM
)
top_out=$(guix build --no-substitutes "$top") || fail "guix build top"
dep_out=$(guix build --no-substitutes "$dep") || fail "guix build dep"
observe "outputs: $top_out $dep_out"
info() { repl <<<"(let ((i (query-path-info %store \"$1\"))) (show (bytevector->nix-base32-string (path-info-hash i)) (path-info-nar-size i)))"; }
good_top=$(info "$top_out")
good_dep=$(info "$dep_out")
observe "hashes: $good_top / $good_dep"

state() {
  observe "  top: $(cat "$top_out") $(stat -c %a "$top_out") $(info "$top_out")"
  observe "  dep: $(cat "$dep_out/data") $(stat -c %a "$dep_out") $(stat -c %a "$dep_out/data") $(info "$dep_out")"
}

# 1. Nothing to repair.
observe_step "repair intact" guix build --no-substitutes --repair "$top"
# 2. The output itself is corrupted.
corrupt "$top_out" "garbage"
observe_step "repair top" guix build --no-substitutes --repair "$top"
state
expect_eq "top repaired" "$dep_out/data" "$(cat "$top_out")"
# 3. A path in its closure (the output of an input derivation) is corrupted.
corrupt "$dep_out/data" "bad dep"
observe_step "repair closure" guix build --no-substitutes --repair "$top"
state
expect_eq "dep repaired" "dep" "$(cat "$dep_out/data")"
# 4. A missing output (deleted behind the daemon's back).
chmod -R u+w "$dep_out"; rm -rf "$dep_out"
observe_step "repair missing" guix build --no-substitutes --repair "$dep"
state
# 5. guix gc --verify: first without repair, then with it; a path without a deriver stays broken.
txt=$(repl <<<'(show (add-text-to-store %store "repair-text" "text\n"))')
corrupt "$dep_out/data" "bad again"
corrupt "$txt" "bad text"
observe_step "verify" guix gc --verify=contents
observe_step "verify repair" guix gc --verify=contents,repair
state
observe "  text: $(cat "$txt")"
observe_step "verify after" guix gc --verify=contents
