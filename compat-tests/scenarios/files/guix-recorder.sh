#!/bin/sh
# $GUIX for the builtin-download scenario: records how the daemon starts the builtin
# builder (arguments, ids, working directory, environment, open fds) in
# /tmp/builtin-records/, then runs the real guix.  The directory must exist (mode 1777).
d=/tmp/builtin-records
f=$d/run.$$
{
  echo "argv: $*"
  echo "ids: $(id -u) $(id -g) $(id -G)"
  echo "cwd: $(pwd)"
  echo "cwd-stat: $(stat -c '%a %u %g' .)"
  echo "session: $(cut -d' ' -f6 /proc/$$/stat) pid: $$"
  echo "stdin: $(readlink /proc/$$/fd/0)"
  echo "fds: $(ls /proc/$$/fd | sort -n | tr '\n' ' ')"
  echo "oom: $(cat /proc/$$/oom_score_adj)"
  echo "net: $(readlink /proc/$$/ns/net) mnt: $(readlink /proc/$$/ns/mnt)"
  echo "env:"
  env -0 | sort -z | tr '\0' '\n'
} >"$f.tmp" 2>&1
mv "$f.tmp" "$f"
exec /usr/bin/guix "$@"
