;;; Usage: guix repl -q -- make-cache.scm [--unsigned] CACHE-DIR ITEM...
;;; Writes, for each valid store ITEM, what `guix publish' would serve for it, as files:
;;; CACHE-DIR/HASH.narinfo (the text of guix/scripts/publish.scm:narinfo-string, signed
;;; with /etc/guix/signing-key.sec the same way, uncompressed) and CACHE-DIR/nar/BASENAME
;;; (the NAR), so that `guix substitute' can use file://CACHE-DIR offline.  With --unsigned
;;; the narinfos have no Signature line (for GUIX_ALLOW_UNAUTHENTICATED_SUBSTITUTES).  (publish.scm's
;;; own narinfo-string is not exported, and Guile drops such bindings when compiling.)
(use-modules (guix store) (guix serialization) (guix pki) (guix base32) (guix base64)
             (guix build utils) (gcrypt pk-crypto) (gcrypt hash)
             (rnrs bytevectors) (ice-9 match) (srfi srfi-26))

(define (signed-string s)
  (let* ((public-key (read-file-sexp %public-key-file))
         (hash (bytevector->hash-data (sha256 (string->utf8 s))
                                      #:key-type (key-type public-key))))
    (signature-sexp hash (read-file-sexp %private-key-file) public-key)))

(define (narinfo-string store item sign?)
  (let* ((info (query-path-info store item))
         (deriver (path-info-deriver info))
         (base (format #f "StorePath: ~a~%NarHash: sha256:~a~%NarSize: ~d~%References: ~a~%"
                       item (bytevector->nix-base32-string (path-info-hash info))
                       (path-info-nar-size info)
                       (string-join (map basename (path-info-references info)) " ")))
         (signed (if deriver
                     (format #f "~aDeriver: ~a~%" base (basename deriver))
                     base)))
    (format #f "~a~@[Signature: 1;~a~%~]URL: nar/~a~%Compression: none~%FileSize: ~d~%"
            signed
            (and sign?
                 (string-append (gethostname) ";"
                                (base64-encode
                                 (string->utf8 (canonical-sexp->string (signed-string signed))))))
            (basename item) (path-info-nar-size info))))

(define (make-cache cache items sign?)
  (let ((store (open-connection)))
    (mkdir-p (string-append cache "/nar"))
    (for-each
     (lambda (item)
       (call-with-output-file
           (string-append cache "/" (string-take (basename item) 32) ".narinfo")
         (cut display (narinfo-string store item sign?) <>))
       (call-with-output-file (string-append cache "/nar/" (basename item))
         (cut write-file item <>)))
     items)))

(match (command-line)
  ((_ "--unsigned" cache items ...) (make-cache cache items #f))
  ((_ cache items ...) (make-cache cache items #t)))
