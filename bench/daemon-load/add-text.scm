;; The real Guix client's side of one bench/daemon.sh workload: 2,000 add-text-to-store on one
;; connection, distinct contents, each item referring to the previous one (the shape of the
;; load client's add-text phase). Run by DaemonLoad with `guix repl -q'; times itself, Guile
;; start-up and module loading excluded, and prints "secs=S digest=D items=N" where D is the
;; first 16 hex digits of the SHA-256 of the returned paths joined by newlines.
(use-modules (guix store) (gcrypt hash) (guix base16) (rnrs bytevectors) (ice-9 format))

(define n 2000)
(define store (open-connection))
(define start (get-internal-real-time))
(define paths
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (cons (add-text-to-store store (string-append "bench-repl-" (number->string i))
                                       (string-append "guix repl " (number->string i) "\n"
                                                      (make-string (+ 256 (modulo (* i 997) 3000)) #\x))
                                       (if (null? acc) '() (list (car acc))))
                    acc)))))
(define secs (exact->inexact (/ (- (get-internal-real-time) start) internal-time-units-per-second)))
(close-connection store)
(format #t "secs=~,4f digest=~a items=~a~%" secs
        (string-take (bytevector->base16-string (sha256 (string->utf8 (string-join paths "\n")))) 16)
        (length paths))
