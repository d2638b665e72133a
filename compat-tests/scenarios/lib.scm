;;; Scheme helpers prepended to every `repl` snippet of the scenarios (see lib.sh).
;;; They talk to whichever daemon listens on /var/guix/daemon-socket/socket, using
;;; only the real Guix client's public API, so the daemon cannot tell a test from a user.
(use-modules (guix store) (guix derivations) (guix base16) (guix base32)
             (gcrypt hash) (ice-9 match) (ice-9 format) (ice-9 rdelim)
             (srfi srfi-1) (srfi srfi-11) (srfi srfi-26)
             (srfi srfi-34) (srfi srfi-35) (rnrs bytevectors) (rnrs io ports)
             (ice-9 popen)
             (guix serialization))

(define %store (open-connection))

;; Static bash, added recursively (flat would make it 0444, not executable).
(define (bash) (add-to-store %store "bash" #t "sha256" "/bin/bash-static"))

;; Static busybox as a directory: bin/busybox plus one relative symlink per applet
;; (busybox picks the applet from argv[0], and a store file name "HASH-busybox" is
;; none), so builders can use PATH=$busybox/bin.  Same tree, same path, every time.
(define %busybox #f)
(define (busybox)
  (unless %busybox
    (let* ((dir (string-append "/tmp/busybox-tree-" (number->string (getpid))))
           (bin (string-append dir "/bin")))
      (system* "rm" "-rf" dir)
      (mkdir dir) (mkdir bin)
      (copy-file "/bin/busybox" (string-append bin "/busybox"))
      (chmod (string-append bin "/busybox") #o755)
      (let* ((port (open-input-pipe "/bin/busybox --list"))
             (applets (let loop ((acc '()))
                        (let ((l (read-line port)))
                          (if (eof-object? l) acc (loop (cons l acc)))))))
        (close-pipe port)
        (for-each (lambda (a)
                    (unless (string=? a "busybox")
                      (symlink "busybox" (string-append bin "/" a))))
                  applets))
      (set! %busybox (add-to-store %store "busybox" #t "sha256" dir))
      (system* "rm" "-rf" dir)))
  %busybox)

;; A derivation whose builder is `bash -c SCRIPT'.  With PATH? (the default) the script
;; starts with PATH=$busybox/bin, so busybox applets work as commands (there is no
;; coreutils in the build chroot); without it the script sees the daemon's PATH.
(define* (sh-derivation name script #:key (outputs '("out")) (inputs '())
                        (sources '()) (env-vars '()) (path? #t)
                        hash hash-algo recursive?)
  (derivation %store name (bash)
              (list "-c" (if path? (string-append "PATH=$busybox/bin; " script) script))
              #:env-vars (cons (cons "busybox" (busybox)) env-vars)
              #:sources (append (list (bash) (busybox)) sources)
              #:inputs inputs #:outputs outputs
              #:hash hash #:hash-algo hash-algo #:recursive? recursive?))

(define (show . items)
  "Print ITEMS separated by spaces, then a newline."
  (format #t "~{~a~^ ~}~%" items))

(define (file-contents file)
  (call-with-input-file file get-string-all))

(define (store-error thunk)
  "Call THUNK; return the message of the store protocol error it raises, or #f."
  (guard (c ((store-protocol-error? c) (store-protocol-error-message c)))
    (thunk)
    #f))

(define (try thunk)
  "Call THUNK; return its value, or (error MESSAGE) if it raises a store protocol error."
  (guard (c ((store-protocol-error? c) (list 'error (store-protocol-error-message c))))
    (thunk)))
