# daemon-env: GUIX=/jguix/compat-tests/scenarios/files/guix-recorder.sh
# `builtin:git-download' (issue #5, builtins.cc): the daemon runs `$GUIX perform-download DRV
# OUT' outside the chroot, as for builtin:download (files/guix-recorder.sh records how:
# arguments, ids, cwd), and perform-download runs git (the sid root's
# /usr/bin/git, guix/config.scm's %git) to fetch a commit from a repository served over dumb
# HTTP on the loopback (busybox httpd; perform-download refuses file:// and local paths). The
# shallow fetch by commit fails over dumb HTTP and git-fetch retries a full fetch, as the log
# shows. Every derivation sets download-methods to (upstream): the fallbacks (nar substitutes,
# Software Heritage) would go to the Internet. Observed: the checkout (path, listing, modes,
# contents, NAR hash, references, log), a second build (valid already), a wrong hash, an
# unknown commit, a missing repository, a missing commit variable. The commit is made with fixed
# names and dates, so its id is the same in every run. Runs may share the network namespace
# (--jobs), so the server takes the first free port of 18785..18794; derivation paths (which
# contain the URL) are not observed, the port is normalised to PORT, and so are the build
# directory's number and git's object counts and transfer speeds.
source "$SCENARIO_DIR/lib.sh"

mkdir -p -m 1777 /tmp/builtin-records

src=$WORK/src
mkdir -p "$src/sub/dir" "$WORK/www"
echo "git download payload" >"$src/README"
printf '#!/bin/sh\necho tool\n' >"$src/tool.sh"; chmod 755 "$src/tool.sh"
echo "nested" >"$src/sub/dir/file.txt"
ln -s ../README "$src/sub/link"
export GIT_AUTHOR_NAME=Scenario GIT_AUTHOR_EMAIL=scenario@example.org GIT_COMMITTER_NAME=Scenario \
  GIT_COMMITTER_EMAIL=scenario@example.org GIT_AUTHOR_DATE="2025-01-01T00:00:00Z" \
  GIT_COMMITTER_DATE="2025-01-01T00:00:00Z" HOME=$WORK
git -C "$src" init -q --initial-branch=main
git -C "$src" add -A
git -C "$src" commit -q -m "first"
echo "second revision" >"$src/README"
git -C "$src" commit -q -am "second"
commit=$(git -C "$src" rev-parse HEAD)
first=$(git -C "$src" rev-parse HEAD~1)
observe "commits: $commit $first"
git clone -q --bare "$src" "$WORK/www/repo.git"
git -C "$WORK/www/repo.git" update-server-info
# The checkout's NAR hash, .git left out as git-fetch deletes it.
hash=$(guix hash -x -S nar "$src")
observe "hash: $hash"

serve_http "$WORK/www" 18785
base="http://127.0.0.1:$port"

norm() {
  sed -E -e 's|/gnu/store/[a-z0-9]{32}-([a-z-]+)$|/gnu/store/HASH-\1|' -e "s/127\.0\.0\.1:$port/127.0.0.1:PORT/g" -e 's/(\.drv-)[0-9]+/\1N/g' \
    -e 's/[a-z0-9]{32}-([a-z.-]+\.drv)/HASH-\1/g' -e 's|drvs/[a-z0-9]{2}/[a-z0-9]{30}-|drvs/XX/HASH-|' -e 's/[0-9.]+ [KMG]?i?B\/s/SPEED/g' "$@"
}

# git_drv NAME URL COMMIT HASH [EXTRA-ENV-SCHEME]: prints the .drv file name.
git_drv() {
  repl <<SCM
(show (derivation-file-name
       (derivation %store "$1" "builtin:git-download" '()
                   #:env-vars \`(("url" . ,(object->string "$2"))
                                ,@(if (string-null? "$3") '() '(("commit" . "$3")))
                                ("download-methods" . "(upstream)"))
                   #:hash (nix-base32-string->bytevector "$4") #:hash-algo 'sha256 #:recursive? #t
                   #:local-build? #t)))
SCM
}

d=$(git_drv repo-checkout "$base/repo.git" "$commit" "$hash")
out=$(guix build --no-substitutes "$d" 2>"$WORK/err") || { cat "$WORK/err"; fail "guix build"; }
cat "$WORK/err"
observe "out: $out"
expect_eq "README" "second revision" "$(cat "$out/README")"
expect_eq "tool" "tool" "$("$out/tool.sh")"
observe "tree: $(cd "$out" && find . -printf '%p %y %m %s %l\n' | sort | tr '\n' '|')"
observe "stat: $(stat -c '%a %U %G' "$out")"
observe "stderr: $(grep -v '^\s*$' "$WORK/err" | norm | tr '\n' '|')"
observe "log: $(zcat "$(guix build --log-file "$d")" | norm | tr '\n' '|')"
rec=$(ls /tmp/builtin-records/run.* | head -n 1)
[[ -f $rec ]] || fail "GUIX was not run"
observe "record: $(grep -e '^argv:' -e '^ids:' -e '^cwd' "$rec" | norm | tr '\n' '|')"
rm -f /tmp/builtin-records/run.*
observe "info: $(repl <<<"(let ((i (query-path-info %store \"$out\"))) (show (path-info-nar-size i) (bytevector->nix-base32-string (path-info-hash i)) (path-info-references i) (path-info-deriver i)))" | norm)"

# The same again: valid already, GUIX is not run.
observe "rerun: $(guix build --no-substitutes "$d" 2>&1) records: $(ls /tmp/builtin-records | wc -l)"

fails() {
  local what=$1 d=$2 status=0
  guix build --no-substitutes "$d" >"$WORK/out" 2>"$WORK/err" || status=$?
  cat "$WORK/err"
  observe "$what: status $status: $(grep -v -e '^\s*$' -e 'following derivation' -e '^   /gnu' "$WORK/err" | norm \
    | tr '\n' '|')"
  observe "$what log: $(zcat "$(guix build --log-file "$d" 2>/dev/null)" 2>/dev/null | norm | tr '\n' '|')"
  local left
  left=$(ls -d /gnu/store/*-"$what" 2>/dev/null || true)
  observe "$what store: ${left:+$(norm <<<"$left") valid $(repl <<<"(display (valid-path? %store \"$left\"))")}"
}
# The older commit under the newer commit's hash: fetched, then refused by the daemon.
fails wrong-hash "$(git_drv wrong-hash "$base/repo.git" "$first" "$hash")"
fails no-commit "$(git_drv no-commit "$base/repo.git" 0123456789abcdef0123456789abcdef01234567 "$hash")"
fails no-repo "$(git_drv no-repo "$base/nothing.git" "$commit" "$hash")"
fails no-commit-var "$(git_drv no-commit-var "$base/repo.git" "" "$hash")"
observe "valid at the end: $(repl <<<"(show (valid-path? %store \"$out\"))")"
