# AddTextToStore and AddToStore: flat and recursive, sha256 and other algorithms.
# The resulting store paths go to observed.txt (they depend only on the inputs, so the
# two daemons must agree byte for byte); each is also checked against the client's own
# computation (fixed-output-path), and the stored contents against the originals.
source "$SCENARIO_DIR/lib.sh"

# Inputs: a plain file, an executable, and a tree with a symlink and an empty dir.
printf 'hello, store\n' >"$WORK/plain.txt"
printf '#!/bin/sh\necho hi\n' >"$WORK/script.sh"; chmod 755 "$WORK/script.sh"
mkdir -p "$WORK/tree/sub/empty"
printf 'a\n' >"$WORK/tree/a"; printf 'b\n' >"$WORK/tree/sub/b"; chmod 755 "$WORK/tree/sub/b"
ln -s ../a "$WORK/tree/sub/link"

repl <<SCM | tee "$WORK/out.txt"
(define work "$WORK")
(define (file f) (string-append work "/" f))
(define (check-add name recursive? algo f)
  (let* ((p (add-to-store %store name recursive? algo (file f)))
         (h (if recursive?
                (let-values (((port get) (open-hash-port (lookup-hash-algorithm (string->symbol algo)))))
                  (write-file (file f) port) (force-output port) (get))
                (file-hash (lookup-hash-algorithm (string->symbol algo)) (file f))))
         (expected (fixed-output-path name h #:hash-algo (string->symbol algo)
                                      #:recursive? recursive?)))
    (unless (string=? p expected)
      (error "store path differs from client's computation" p expected))
    (unless (valid-path? %store p) (error "not valid" p))
    (show "add-to-store" name (if recursive? "recursive" "flat") algo p)
    p))

(define t1 (add-text-to-store %store "greeting" "hello, text\n"))
(define t2 (add-text-to-store %store "greeting" "hello, text\n"))
(unless (string=? t1 t2) (error "add-text-to-store not idempotent" t1 t2))
(show "add-text" t1)
(show "add-text-contents" (file-contents t1))
(define t3 (add-text-to-store %store "with-refs" "refers to the greeting\n" (list t1)))
(show "add-text-with-refs" t3 (references %store t3))
(show "add-text-empty" (add-text-to-store %store "empty" ""))

(check-add "plain.txt" #f "sha256" "plain.txt")
(check-add "plain.txt" #f "sha1" "plain.txt")
(check-add "plain.txt" #f "md5" "plain.txt")
(check-add "plain.txt" #f "sha512" "plain.txt")
(check-add "plain.txt" #t "sha256" "plain.txt")
(check-add "script.sh" #t "sha256" "script.sh")
(check-add "tree" #t "sha256" "tree")
(check-add "tree" #t "sha1" "tree")
(check-add "tree" #t "sha512" "tree")
;; Same content twice: same path, still valid.
(check-add "tree" #t "sha256" "tree")
SCM
grep -E '^add' "$WORK/out.txt" >>"$OBSERVED"

# What landed in the store is what we added (nar-equal trees, permissions normalised).
tree=$(awk '$1=="add-to-store" && $2=="tree" && $4=="sha256" {print $5; exit}' "$WORK/out.txt")
diff -r "$WORK/tree" "$tree" || fail "tree contents differ"
expect_eq "symlink target" "../a" "$(readlink "$tree/sub/link")"
[[ -x $tree/sub/b && ! -x $tree/a ]] || fail "executable bits not preserved"
[[ -d $tree/sub/empty ]] || fail "empty directory lost"
script=$(awk '$2=="script.sh" {print $5; exit}' "$WORK/out.txt")
expect_eq "script mode" "555" "$(stat -c %a "$script")"
flat=$(awk '$2=="plain.txt" && $3=="flat" && $4=="sha256" {print $5; exit}' "$WORK/out.txt")
expect_eq "flat file mode" "444" "$(stat -c %a "$flat")"
expect_eq "mtime normalised" "1" "$(stat -c %Y "$flat")"
