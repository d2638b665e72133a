# daemon-env: GUIX=/jguix/compat-tests/scenarios/files/guix-recorder.sh
# Builtin builders (build-environment.md §12, builtins.cc): BuiltinBuilders names them; a
# `builtin:download' derivation fetches a file from an HTTP server on the loopback
# (busybox httpd) through `$GUIX perform-download DRV OUT', which $GUIX (files/
# guix-recorder.sh) records: arguments, ids, cwd, session, stdin, fds, namespaces and the
# environment (the daemon's own plus NIX_STORE and _NIX_OPTIONS).  Also: an executable
# download, a hash mismatch, a 404, a file:// URL (refused by perform-download), an
# unknown builtin (builtin:git-download has its own scenario), and what the build logs
# hold; --check and --repair of the download.  Runs may share the network namespace (--jobs), so the server takes the first free port of 18775..18784; derivation paths
# (which contain the URL) are not observed, the port is normalised to PORT.  Also
# normalised: pids, the build directory's number, namespace ids (compared with the
# daemon's, not recorded), download progress lines (speed and timing).
source "$SCENARIO_DIR/lib.sh"

mkdir -p -m 1777 /tmp/builtin-records
mkdir -p "$WORK/www"
echo "builtin download payload" >"$WORK/www/file.txt"
printf '#!/bin/sh\necho hi\n' >"$WORK/www/tool.sh"
serve_http "$WORK/www" 18775
base="http://127.0.0.1:$port"

norm() {
  sed -E -e "s/127\.0\.0\.1:$port/127.0.0.1:PORT/g" -e 's/-[0-9]+\.drv/-N.drv/g' \
    -e 's/(\.drv-)[0-9]+/\1N/g' -e 's|/web/[0-9]{14}/|/web/TIME/|g' -e 's/[a-z0-9]{32}-([a-z.-]+\.drv)/HASH-\1/g' "$@"
}

observe "builtins: $(repl <<<'(show (built-in-builders %store))')"

# download URL NAME HASH-OF-CONTENT [executable]: prints the .drv file name.
download() {
  repl <<SCM
(define content "$3")
(define exe? (string=? "${4:-}" "executable"))
(define drv (derivation %store "$2" "builtin:download" '()
             #:env-vars \`(("url" . ,(object->string "$1"))
                          ,@(if exe? '(("executable" . "1")) '()))
             #:hash (if exe?
                        (let-values (((port get) (open-sha256-port)))
                          (write-file-tree "x" port #:file-type+size (lambda _ (values 'executable (string-length content)))
                                           #:file-port (lambda _ (open-input-string content)))
                          (close-port port) (get))
                        (sha256 (string->utf8 content)))
             #:hash-algo 'sha256 #:recursive? exe? #:local-build? #t))
(show (derivation-file-name drv))
SCM
}

d=$(download "$base/file.txt" file.txt "builtin download payload
")
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"
observe "out: $out"
expect_eq "contents" "builtin download payload" "$(cat "$out")"
observe "stat: $(stat -c '%a %U %G %s' "$out")"
observe "stderr: $(grep -v '^\s*$' "$WORK/err" | norm | sed -E 's/ +[0-9.]+[KMG]?i?B\/s.*//; s/[0-9.]+(KiB|B) +/SIZE /' | tr '\n' '|')"
observe "log: $(guix build --log-file "$d" >/dev/null && zcat "$(guix build --log-file "$d")" | norm | tr '\n' '|')"
observe "valid: $(repl <<<"(show (valid-path? %store \"$out\"))")"
observe "info: $(repl <<<"(let ((i (query-path-info %store \"$out\"))) (show (path-info-nar-size i) (bytevector->nix-base32-string (path-info-hash i)) (path-info-references i)))")"

rec=$(ls /tmp/builtin-records/run.* | head -n 1)
[[ -f $rec ]] || fail "GUIX was not run"
cat "$rec"
daemon_net=$(readlink /proc/self/ns/net)
expect_eq "host network namespace" "$daemon_net" "$(sed -n "s/^net: \([^ ]*\) .*/\1/p" "$rec")"
observe "record: $(grep -v -e '^net:' -e '^session:' "$rec" | norm | tr '\n' '|')"
expect_match "own session" '^session: ([0-9]+) pid: \1$' "$(grep '^session:' "$rec")"
rm -f /tmp/builtin-records/run.*

# The same again: valid already, GUIX is not run.
guix build --no-substitutes "$d" >/dev/null 2>&1 || fail "second build"
observe "rerun records: $(ls /tmp/builtin-records | wc -l)"

# --check and --repair without a chroot: the builtin downloads to a redirected path
# (hash part from sha256("rewrite:DRV:OUT")), which is rewritten back ("cross fingers").
check_repair() {  # WHAT ARGS...
  local what=$1 status=0; shift
  guix build --no-substitutes "$@" "$d" >"$WORK/out" 2>"$WORK/err" || status=$?
  cat "$WORK/err"
  observe "$what: status $status: $(cat "$WORK/out") $(grep -v -e '^\s*$' "$WORK/err" | norm \
    | sed -E 's/ +[0-9.]+[KMG]?i?B\/s.*//; s/[0-9.]+(KiB|B) +/SIZE /' | tr '\n' '|')"
  observe "$what: record: $(sed -n 's/^argv: //p' /tmp/builtin-records/run.* | norm)"
  observe "$what: store: $(ls /gnu/store | grep -c -- '-file.txt$') $(cat "$out") $(stat -c '%a %U' "$out")"
  rm -f /tmp/builtin-records/run.*
}
check_repair check --check
chmod u+w "$out"; echo corrupted >"$out"; chmod a-w "$out"
check_repair repair --repair
expect_eq "repaired" "builtin download payload" "$(cat "$out")"
observe "repaired info: $(repl <<<"(let ((i (query-path-info %store \"$out\"))) (show (path-info-nar-size i) (bytevector->nix-base32-string (path-info-hash i))))")"
echo "other payload" >"$WORK/www/file.txt"
check_repair "check changed" --check
echo "builtin download payload" >"$WORK/www/file.txt"

# Executable download (recursive hash of an executable file).
d=$(download "$base/tool.sh" tool.sh "#!/bin/sh
echo hi
" executable)
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build executable"; }
observe "exe: $out $(stat -c '%a' "$out") $("$out")"
rm -f /tmp/builtin-records/run.*

# Failures: wrong hash, 404, file:// URL, unknown builtin.
fails() {
  local what=$1 d=$2 status=0
  guix build --no-substitutes "$d" >"$WORK/out" 2>"$WORK/err" || status=$?
  cat "$WORK/err"
  observe "$what: status $status: $(grep -v -e '^\s*$' -e 'following derivation' -e '^   /gnu' "$WORK/err" | norm \
    | sed -E 's/ +[0-9.]+[KMG]?i?B\/s.*//' | tr '\n' '|')"
  observe "$what log: $(zcat "$(guix build --log-file "$d" 2>/dev/null)" 2>/dev/null | norm | tr '\n' '|')"
}
fails mismatch "$(download "$base/file.txt" wrong.txt "something else")"
fails missing "$(download "$base/nothing.txt" nothing.txt "x")"
fails local "$(download "file:///etc/passwd" passwd "x")"
d=$(repl <<'SCM'
(show (derivation-file-name
       (derivation %store "frob" "builtin:frobnicate" '() #:hash (sha256 (string->utf8 "x")) #:hash-algo 'sha256
                   #:local-build? #t)))
SCM
)
fails unknown "$d"
observe "records after failures: $(ls /tmp/builtin-records | wc -l)"
rm -f /tmp/builtin-records/run.*
