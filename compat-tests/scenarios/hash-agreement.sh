# jguix's NAR serialisation agrees with the real tools', byte for byte, on odd trees: random
# trees from a fixed seed (bash's $RANDOM, seeded below; same trees every run) with unicode,
# control-character, 255-byte and byte-order-sensitive names, empty files and directories,
# relative/absolute/dangling/long symlinks, every owner/group/other execute combination and
# sizes around the 8-byte padding and buffer boundaries; plus single-file, executable,
# empty-directory and symlink roots.  For each tree: `/jguix/jguix hash path' must equal
# `guix hash -S nar' (1.5.0's NAR hashing; its `-r' alias must agree; `-x' only drops VCS
# directories and is not a serialisation), `nix-hash --type sha256 --base32', and the
# `jguix nar dump' bytes must equal `nix-store --dump'.  Then the other directions: jguix
# restores nix's NAR of the whole set, nix restores jguix's, and both restored trees hash
# the same again.  Needs no daemon (it runs under both all the same).  observed.txt: each
# tree's name, NAR hash and NAR size; nothing varies between runs.
source "$SCENARIO_DIR/lib.sh"
JGUIX=/jguix/jguix
RANDOM=20251123
top=$WORK/trees
mkdir "$top"

long=$(printf 'n%.0s' {1..255})
names=(plain UPPER Zebra apple _under -dash .hidden ... '..a' 'with space' $'tab\there' $'new\nline'
  é e ä 'Zürich' 日本語 🙂 z Z 0 '~' '#hash' '%pct' 'back\slash' "quote'\"" 'star*?[' 'colon:semi;' "$long")
sizes=(0 0 1 7 8 9 63 64 65 4095 4096 4097 65535 65537 262145 1048577)
modes=(644 755 700 744 654 645 600 400 111 6755)
targets=(plain ../up /gnu/store/00000000000000000000000000000000-abs dangling-target 日本語/x "$long/$long/$long/$long" .)

# mkfile PATH: random size and mode; contents are digits (from a random start) or zeros.
mkfile() {
  local n=${sizes[RANDOM % ${#sizes[@]}]} start=$RANDOM   # not in the subshell: it reseeds
  if ((RANDOM % 3)); then
    (set +o pipefail; seq "$start" 99999999 | head -c "$n" >"$1")
  else
    head -c "$n" /dev/zero >"$1"
  fi
  chmod "${modes[RANDOM % ${#modes[@]}]}" "$1"
}

# tree DIR DEPTH: a random directory.
tree() {
  local dir=$1 depth=$2 i name n=$(($2 == 3 ? 6 + RANDOM % 6 : RANDOM % 8))
  mkdir "$dir"
  for ((i = 0; i < n; i++)); do
    name=${names[RANDOM % ${#names[@]}]}
    [[ -e $dir/$name || -L $dir/$name ]] && name=${name:0:250}-$i
    case $((RANDOM % 10)) in
      0|1|2|3|4) mkfile "$dir/$name" ;;
      5|6) ln -s -- "${targets[RANDOM % ${#targets[@]}]}" "$dir/$name" ;;
      7) mkdir "$dir/$name"; if ((RANDOM % 2)); then mkdir "$dir/$name/empty"; fi ;;
      *) if ((depth > 0)); then tree "$dir/$name" $((depth - 1)); else mkfile "$dir/$name"; fi ;;
    esac
  done
}

trees=()
for i in 1 2 3 4 5 6 7 8; do tree "$top/t$i" 3; trees+=("t$i"); done
# Every name side by side: the byte-order sort of entries.
mkdir "$top/names"
for name in "${names[@]}"; do mkfile "$top/names/$name"; done
mkdir "$top/names/sub"; for name in "${names[@]}"; do ln -s -- "$name" "$top/names/sub/$name"; done
# Roots that are not directories, and an empty one.
seq 1 9 | head -c 9 >"$top/root-file"
: >"$top/root-exec"; chmod 755 "$top/root-exec"
ln -s /gnu/store/nowhere "$top/root-link"
mkdir "$top/root-emptydir"
trees+=(names root-file root-exec root-link root-emptydir)
note "$(find "$top" | wc -l) entries in ${#trees[@]} trees"

# NAR hashes: guix hash -S nar and -r, nix-hash, jguix hash path (one JVM for all).
"$JGUIX" hash path "${trees[@]/#/$top/}" "$top" >"$WORK/ours.txt" || fail "jguix hash path"
mapfile -t ours <"$WORK/ours.txt"
((${#ours[@]} == ${#trees[@]} + 1)) || fail "jguix hash path printed ${#ours[@]} lines for $((${#trees[@]} + 1)) paths"
i=0
for t in "${trees[@]}" .; do
  p=$top/$t
  guix=$(guix hash -S nar "$p") || fail "guix hash -S nar $t"
  expect_eq "$t: guix hash -r" "$guix" "$(guix hash -r "$p" 2>/dev/null)"
  expect_eq "$t: nix-hash" "$guix" "$(nix-hash --type sha256 --base32 "$p")"
  expect_eq "$t: jguix hash path" "$guix" "${ours[i]}"
  i=$((i + 1))
  # NAR bytes: nix-store --dump vs jguix nar dump.
  nix-store --dump "$p" >"$WORK/nix.nar" || fail "nix-store --dump $t"
  "$JGUIX" nar dump "$p" >"$WORK/jguix.nar" || fail "jguix nar dump $t"
  cmp "$WORK/nix.nar" "$WORK/jguix.nar" || fail "$t: jguix nar dump differs from nix-store --dump"
  echo "ok: $t: NAR bytes equal ($(stat -c %s "$WORK/nix.nar") bytes)"
  observe "$t $guix $(stat -c %s "$WORK/nix.nar")"
done

# Restores: jguix restores nix's NAR, nix restores jguix's; both must hash as the original.
want=$(guix hash -S nar "$top")
nix-store --dump "$top" | "$JGUIX" nar restore "$WORK/by-jguix" || fail "jguix nar restore"
expect_eq "tree restored by jguix" "$want" "$(guix hash -S nar "$WORK/by-jguix")"
"$JGUIX" nar dump "$top" | nix-store --restore "$WORK/by-nix" || fail "nix-store --restore"
expect_eq "tree restored by nix" "$want" "$(guix hash -S nar "$WORK/by-nix")"
for t in root-file root-exec root-link; do
  nix-store --dump "$top/$t" | "$JGUIX" nar restore "$WORK/$t" || fail "jguix nar restore $t"
  expect_eq "$t restored by jguix" "$(guix hash -S nar "$top/$t")" "$(guix hash -S nar "$WORK/$t")"
done
