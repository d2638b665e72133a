# Sourced by the launchers and run-tests: finding a Java 21+ installation.
# shellcheck shell=bash

# Feature version of the Java installation at $1 (from its release file, without starting a JVM).
java_feature() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null) || true
  echo "${v:-0}"
}

# find_java [jdk]: prints the home of the first Java 21+ (a JDK with javac if "jdk" is asked).
find_java() {
  local want=${1:-} h cands=()
  [[ -n ${JGUIX_JAVA_HOME:-} ]] && cands+=("$JGUIX_JAVA_HOME")
  [[ -n ${JAVA_HOME:-} ]] && cands+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for h in /usr/lib/jvm/*; do [[ -L $h ]] || cands+=("$h"); done
  for h in "${cands[@]}"; do
    [[ -x $h/bin/java ]] || continue
    [[ $want == jdk && ! -x $h/bin/javac ]] && continue
    (( $(java_feature "$h") >= 21 )) && { echo "$h"; return 0; }
  done
  return 1
}

