# Sourced by bench/build.sh and bench/gc.sh: reading their rounds' results. Each round of daemon D
# leaves $tmp/out/D.R, one "KEY VALUE" line per figure; $runs is the number of rounds.
# shellcheck shell=bash

# median: the middle of the numbers on stdin (the upper one of an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# get DAEMON KEY: the median over the rounds of DAEMON's KEY.
get() { for r in $(seq "$runs"); do awk -v k="$2" '$1 == k {print $2}' "$tmp/out/$1.$r"; done | median; }
