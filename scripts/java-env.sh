# Sourced by the launchers and run-tests: finding a Java 21+ installation.
# shellcheck shell=bash
# The launcher runs these on every start of ./jguix, so they read files with bash builtins
# rather than forking sed or dirname.

# java_release HOME: sets java_version (e.g. 25.0.1) and java_feature_version (25) from
# HOME/release, without starting a JVM; 0 if there is none.
java_release() {
  local line
  java_version=0
  if [[ -r $1/release ]]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then java_version=${BASH_REMATCH[1]}; break; fi
    done <"$1/release"
  fi
  java_feature_version=${java_version%%[!0-9]*}
  java_feature_version=${java_feature_version:-0}
}

# Feature version of the Java installation at $1 (from its release file, without starting a JVM).
java_feature() {
  local java_version java_feature_version
  java_release "$1"
  echo "$java_feature_version"
}

# find_java [jdk]: prints the home of the first Java 21+ (a JDK with javac if "jdk" is asked).
find_java() {
  local java_home_found
  find_java_home "$@" && echo "$java_home_found"
}

# find_java_home [jdk]: find_java without a subshell; sets java_home_found.
find_java_home() {
  local want=${1:-} h java_version java_feature_version cands=()
  [[ -n ${JGUIX_JAVA_HOME:-} ]] && cands+=("$JGUIX_JAVA_HOME")
  [[ -n ${JAVA_HOME:-} ]] && cands+=("$JAVA_HOME")
  cands+=(PATH)
  for h in /usr/lib/jvm/*; do [[ -L $h ]] || cands+=("$h"); done
  for h in "${cands[@]}"; do
    if [[ $h == PATH ]]; then
      # the java on PATH, resolved only when the candidates before it did not do
      h=$(command -v java 2>/dev/null) || continue
      h=$(readlink -f "$h") && h=${h%/bin/java}
    fi
    [[ -x $h/bin/java ]] || continue
    [[ $want == jdk && ! -x $h/bin/javac ]] && continue
    java_release "$h"
    (( java_feature_version >= 21 )) && { java_home_found=$h; return 0; }
  done
  return 1
}
