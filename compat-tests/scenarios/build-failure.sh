# Failing builds: a builder exiting non-zero (message, kept log via --log-file, build
# directory with --keep-failed), a builder producing no output, and a dependent of a
# failed derivation.  Error texts go to observed.txt.
source "$SCENARIO_DIR/lib.sh"

fails=$(drv '(sh-derivation "fails" "echo to-stdout; echo to-stderr >&2; echo partial > $out; exit 3")')
noout=$(drv '(sh-derivation "no-output" "echo not creating $out")')
dependent=$(drv '(sh-derivation "dependent" "echo $in > $out"
  #:inputs (list (derivation-input (read-derivation-from-file "'"$fails"'"))))')

expect_fail "build of failing derivation" guix build --no-substitutes "$fails"
printf '%s\n' "$LAST_OUTPUT"
msg=$(grep 'error:' <<<"$LAST_OUTPUT")
expect_eq "failure message" "guix build: error: build of \`$fails' failed" "$msg"
grep -qx "builder for \`$fails' failed with exit code 3" <<<"$LAST_OUTPUT" || fail "no 'builder failed' line"
observe "fails: $(grep -v '^The following derivation' <<<"$LAST_OUTPUT" | tr '\n' '|')"

log=$(guix build --log-file "$fails") || fail "--log-file"
echo "log file: $log"
# guix-daemon 1.5.0 compresses logs with gzip by default (--log-compression).
expect_eq "log file name" "/var/log/guix/drvs/${fails:11:2}/${fails:13}.gz" "$log"
content=$(zcat "$log")
printf 'log:\n%s\n' "$content"
expect_eq "log contents" $'to-stdout\nto-stderr' "$content"
observe "log-file: $log"
observe "log: $(tr '\n' '|' <<<"$content")"

# --keep-failed: the build directory stays, with the partial output under the chroot.
expect_fail "build with --keep-failed" guix build --no-substitutes --keep-failed "$fails"
kept=$(sed -n "s/^note: keeping build directory \`\(.*\)'$/\1/p" <<<"$LAST_OUTPUT")
printf '%s\n' "$LAST_OUTPUT"
[[ -n $kept && -d $kept ]] || fail "no kept build directory"
ls -la "$kept" "$kept/top"
observe "kept: $kept: $(cd "$kept" && stat -c '%n %U:%G %a' * | tr '\n' ' ')"

expect_fail "build without output" guix build --no-substitutes "$noout"
printf '%s\n' "$LAST_OUTPUT"
grep -q "builder for \`$noout' failed to produce output path" <<<"$LAST_OUTPUT" || fail "no 'failed to produce output' message"
observe "no-output: $(grep -v '^The following derivation' <<<"$LAST_OUTPUT" | tr '\n' '|')"

expect_fail "build of a dependent" guix build --no-substitutes "$dependent"
printf '%s\n' "$LAST_OUTPUT"
observe "dependent: $(grep -v '^The following derivation' <<<"$LAST_OUTPUT" | tr '\n' '|')"
