# Hostile and broken clients on the raw socket (worker-protocol.md §4.4): after the real
# client's handshake, frames a client library would never send: unknown opcodes, an int
# with high bytes set, non-zero string padding, a path outside the store (fatal for
# QueryPathInfo, recoverable for IsValidPath), a string announced at 4 GiB; a request cut
# short by a disconnect; and a garbage greeting. For each: the daemon's stderr frame (error
# text and status) and whether the connection still answers afterwards. At the end a fresh
# connection still works and the store holds exactly what was added properly. All of it
# goes to observed.txt.
source "$SCENARIO_DIR/lib.sh"

repl <<'SCM' | tee "$WORK/out" || fail "raw-socket probes"
(use-modules ((guix serialization) #:select (read-int read-string write-int write-string))
             (ice-9 binary-ports) (rnrs bytevectors))

(define STDERR_ERROR #x63787470)
(define STDERR_LAST #x616c7473)

(define (frame port)
  "The next stderr frame on PORT, or eof."
  (catch #t
    (lambda ()
      (let ((tag (read-int port)))
        (cond ((= tag STDERR_ERROR)
               (let* ((message (read-string port)) (status (read-int port)))
                 (list 'error message status)))
              ((= tag STDERR_LAST) '(last))
              (else (list 'tag (number->string tag 16))))))
    (lambda _ 'eof)))

(define good-path (add-text-to-store %store "probe-target" "here\n"))

(define (answers? port)
  "Whether the connection on PORT still answers an IsValidPath."
  (catch #t
    (lambda ()
      (write-int 1 port) (write-string good-path port) (force-output port)
      (and (equal? (frame port) '(last)) (= 1 (read-int port))))
    (lambda _ #f)))

(define (probe label send)
  "Open a connection, let SEND write raw bytes on it, print the daemon's reply."
  (let* ((s (open-connection)) (port (store-connection-socket s)))
    (send port)
    (force-output port)
    (let ((reply (frame port)))
      (show label (if (pair? reply) (car reply) reply)
            (if (and (pair? reply) (eq? (car reply) 'error))
                (format #f "~s status ~a" (cadr reply) (caddr reply))
                "")
            "then:" (if (answers? port) "answers" "closed")))
    (catch #t (lambda () (close-connection s)) (const #f))))

(define (u64 n)
  (let ((b (make-bytevector 8 0))) (bytevector-u64-set! b 0 n (endianness little)) b))

(probe "unknown-op-9999" (lambda (p) (write-int 9999 p)))
(probe "unknown-op-0" (lambda (p) (write-int 0 p)))
(probe "unknown-op-36" (lambda (p) (write-int 36 p)))
(probe "int-high-bytes" (lambda (p) (put-bytevector p (u64 (+ 1 (expt 2 40))))))
(probe "bad-padding" (lambda (p)
                       (write-int 8 p)                       ; AddTextToStore
                       (put-bytevector p (u64 3))
                       (put-bytevector p (string->utf8 "abcxxxxx"))))
(probe "query-path-info-outside-store" (lambda (p) (write-int 26 p) (write-string "/tmp/x" p)))
(probe "is-valid-path-outside-store" (lambda (p) (write-int 1 p) (write-string "/tmp/foo" p)))
(probe "query-path-info-invalid" (lambda (p)
                                   (write-int 26 p)
                                   (write-string (string-append (%store-prefix)
                                                                "/00000000000000000000000000000000-nope")
                                                 p)))

;; A 4 GiB name announced, a few bytes sent, then the client hangs up.
(let* ((s (open-connection)) (port (store-connection-socket s)))
  (write-int 8 port) (put-bytevector port (u64 #xffffffff))
  (put-bytevector port (string->utf8 "only this")) (force-output port)
  (close-port port))
;; An AddTextToStore cut off in its contents.
(let* ((s (open-connection)) (port (store-connection-socket s)))
  (write-int 8 port) (write-string "cut-short" port) (put-bytevector port (u64 1000))
  (put-bytevector port (make-bytevector 16 65)) (force-output port)
  (close-port port))

;; A garbage greeting, without the client library's handshake.
(let ((sock (socket PF_UNIX SOCK_STREAM 0)))
  (connect sock AF_UNIX (%daemon-socket-uri))
  (put-bytevector sock (string->utf8 "GARBAGE!"))
  (force-output sock)
  (let ((got (catch #t (lambda () (get-bytevector-all sock)) (lambda _ 'error))))
    (show "garbage-greeting" (if (eof-object? got) "eof" (bytevector-length got))
          (if (bytevector? got) (format #f "~s" (utf8->string got)) "")))
  (close-port sock))

(sleep 1)
(define after (open-connection))
(show "fresh connection" (valid-path? after good-path))
(show "new add" (add-text-to-store after "after-probes" "fine\n"))
SCM
observe_file "$WORK/out"
# Nothing of the cut-off uploads is in the store, valid or not (names only: hashes differ
# from run to run for nothing here, but keep the listing readable).
observe "store entries: $(ls -A /gnu/store | sed 's/^[0-9a-z]\{32\}-//' | sort | tr '\n' ' ')"
