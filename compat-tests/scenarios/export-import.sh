# ExportPath / ImportPaths through `guix archive' and the RPCs.  A fresh signing key is
# generated (guix archive --generate-key; no entropy wait in practice).  Checks: an
# unsigned export is byte-for-byte deterministic (its SHA-256 goes to observed.txt; the
# signed one is not, the key is new each run); importing needs the key in /etc/guix/acl
# (error text recorded, the key itself normalised); an unsigned import is refused even for root; after deleting
# the paths, an authorised import brings back contents, references and deriver-less
# registration.
source "$SCENARIO_DIR/lib.sh"

guix archive --generate-key >/dev/null 2>&1 || fail "--generate-key"
[[ -f /etc/guix/signing-key.sec && -f /etc/guix/signing-key.pub ]] || fail "no key files"

repl <<'SCM' >"$WORK/paths"
(define base (add-text-to-store %store "base" "the base\n"))
(define top (add-text-to-store %store "top" (string-append "on " base "\n") (list base)))
(show "base" base)
(show "top" top)
SCM
cat "$WORK/paths"
p() { awk -v k="$1" '$1==k {print $2}' "$WORK/paths"; }

# Unsigned export via the RPC (export-paths #:sign? #f): deterministic bytes.
repl <<SCM
(call-with-output-file "$WORK/unsigned.nar"
  (lambda (port) (export-paths %store (list "$(p base)" "$(p top)") port #:sign? #f)))
SCM
observe "unsigned export sha256: $(sha256sum <"$WORK/unsigned.nar" | cut -d' ' -f1) size $(stat -c %s "$WORK/unsigned.nar")"

guix archive --export -r "$(p top)" >"$WORK/signed.nar" 2>"$WORK/err" || { cat "$WORK/err"; fail "--export"; }
observe "signed export size: $(stat -c %s "$WORK/signed.nar")"

# Delete both, so that the imports below really add them.
guix gc --delete "$(p top)" "$(p base)" >/dev/null 2>&1 || fail "delete before import"
[[ ! -e $(p top) ]] || fail "top still there"

# With an empty ACL our key is not authorised.  (With no acl file at all, `guix
# authenticate' creates one holding the local signing key: guix/pki.scm ensure-acl.)
printf '(3:acl)' >/etc/guix/acl
expect_fail "import with unauthorised key" guix archive --import <"$WORK/signed.nar"
printf '%s\n' "$LAST_OUTPUT"
observe "unauthorised: $(tr '\n' '|' <<<"$LAST_OUTPUT" | sed -E 's/\(q #[0-9A-F]+#\)/(q #<KEY>#)/')"
[[ ! -e $(p base) ]] || fail "path imported despite the error"

# Unsigned archive: refused even for root.
out=$(repl <<SCM
(show (store-error (lambda ()
  (call-with-input-file "$WORK/unsigned.nar" (cut import-paths %store <>)))))
SCM
)
echo "$out"
expect_match "unsigned import refused" "lacks a signature" "$out"
observe "unsigned import: $out"

guix archive --authorize </etc/guix/signing-key.pub || fail "--authorize"
grep -q public-key /etc/guix/acl || fail "key not in the acl"
guix archive --import <"$WORK/signed.nar" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "--import"; }
cat "$WORK/out"
observe "import output: $(tr '\n' '|' <"$WORK/out")"
expect_eq "base contents" "the base" "$(cat "$(p base)")"
expect_eq "top references" "$(p base)" "$(guix gc --references "$(p top)")"

repl <<SCM | tee "$WORK/info"
(for-each (lambda (p)
            (let ((i (query-path-info %store p)))
              (show p (path-info-deriver i) (bytevector->nix-base32-string (path-info-hash i))
                    (path-info-nar-size i) (path-info-references i))))
          (list "$(p base)" "$(p top)"))
;; The same export again gives the same bytes as before the round trip.
(call-with-output-file "$WORK/unsigned2.nar"
  (lambda (port) (export-paths %store (list "$(p base)" "$(p top)") port #:sign? #f)))
SCM
observe_file "$WORK/info"
cmp "$WORK/unsigned.nar" "$WORK/unsigned2.nar" || fail "export differs after the round trip"
echo "ok: round trip preserves the export"

# Importing again is a no-op that still returns the paths.
guix archive --import <"$WORK/signed.nar" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "second --import"; }
observe "second import output: $(tr '\n' '|' <"$WORK/out")"
