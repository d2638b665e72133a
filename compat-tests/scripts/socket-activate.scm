;;; socket-activate.scm SOCKET PROGRAM ARG...: what systemd does for a socket unit with
;;; Accept=no, for scenarios: binds a Unix stream socket at SOCKET (parent directories
;;; created, mode 0666 like guix-daemon's own), puts it on fd 3, sets LISTEN_FDS=1 and
;;; LISTEN_PID to this process's pid, and execs PROGRAM in this same process, so the pid
;;; the daemon sees is the one in LISTEN_PID.  Guile, because the sid root has it and
;;; neither systemd nor Python.
(use-modules (ice-9 match))

(define (mkdir-p dir)
  (unless (or (string=? dir "") (file-exists? dir))
    (mkdir-p (dirname dir))
    (mkdir dir #o755)))

(match (command-line)
  ((_ path program args ...)
   (mkdir-p (dirname path))
   (when (file-exists? path) (delete-file path))
   (let ((s (socket PF_UNIX SOCK_STREAM 0))
         (old (umask #o111)))
     (bind s AF_UNIX path)
     (umask old)
     (listen s 5)
     (dup2 (fileno s) 3)
     (setenv "LISTEN_FDS" "1")
     (setenv "LISTEN_PID" (number->string (getpid)))
     (apply execlp program program args)))
  (_ (format (current-error-port) "usage: socket-activate.scm SOCKET PROGRAM ARG...~%")
     (exit 64)))
