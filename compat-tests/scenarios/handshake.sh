# Handshake: the client sees protocol 0x164 (major 0x100, minor 0x64) and can run a
# trivial operation on the connection.
source "$SCENARIO_DIR/lib.sh"

out=$(repl <<'SCM'
(show "version" (number->string (store-connection-version %store) 16))
(show "major" (number->string (store-connection-major-version %store) 16))
(show "minor" (number->string (store-connection-minor-version %store) 16))
(show "valid-path-of-missing" (valid-path? %store "/gnu/store/00000000000000000000000000000000-missing"))
(show "store-dir" (%store-prefix))
SCM
)
printf '%s\n' "$out"
expect_eq version "version 164" "$(grep ^version <<<"$out")"
expect_eq major "major 100" "$(grep ^major <<<"$out")"
expect_eq minor "minor 64" "$(grep ^minor <<<"$out")"
expect_eq valid-path "valid-path-of-missing #f" "$(grep ^valid-path <<<"$out")"
printf '%s\n' "$out" >>"$OBSERVED"

# Several sequential connections work too (the daemon serves each and keeps listening).
for i in 1 2 3; do repl <<<'(show "again" (store-connection-version %store))' >/dev/null; done
echo "ok: three more connections"
