#!/usr/bin/env bats
# Every example runs as written on the demo sample: README.md's ```sh blocks, the .EX blocks of each
# man page's EXAMPLES, and each tool's --help "Example:" lines.
#
# The folder is the one `make demo` leaves (its own commands, read from `make -n demo`):
# demo/sample holds mksample's readback (Boot1, Boot2, User), demo/firmware readback2fw's folder of
# it; beside demo/ sit links to the tree's bin/ and scripts/, and /usr/local/share/mtkfw/ is read as
# ../scripts/ (the fragment's installed place).  One source's examples run in order in one fresh
# copy (a later one may read what an earlier one wrote); each must exit 0, and every file it
# writes is checked by a consumer (check_output).  An example marked not run (README: a line
# "<!-- not run: WHY -->" before the block; man: '.\" not run: WHY' before .EX) is listed by the
# last test, which skips with the reasons.

load test_helper

setup_file() {
  local root=$BATS_FILE_TMPDIR/tree
  mkdir -p "$root"
  ln -s "${MTKFW_BIN:-$MTKFW_ROOT/bin}" "$root/bin"
  ln -s "$MTKFW_ROOT/scripts" "$root/scripts"
  # make demo's own steps, from removing demo/ to its readback2fw run.
  make -C "$MTKFW_ROOT" --no-print-directory -n demo | sed -n '/^rm -rf demo$/,/readback2fw/p' > "$root/demo.sh"
  (cd "$root" && bash -e demo.sh) > "$root/demo.log" 2>&1 || { cat "$root/demo.log" "$root/demo.sh" >&3; return 1; }
}

# examples_of SOURCE: its examples, each a NUL-terminated record; "not run: WHY\n" leads a marked one.
# SOURCE is README.md, man/NAME.1 or help:TOOL.
examples_of() {
  case $1 in
    README.md) awk '
      /^<!-- not run: .* -->$/ { mark = $0; sub(/^<!-- /, "", mark); sub(/ -->$/, "", mark); next }
      /^```sh$/ { inside = 1; text = (mark != "" ? mark "\n" : ""); mark = ""; next }
      inside && /^```$/ { inside = 0; printf "%s%c", text, 0; next }
      inside { text = text $0 "\n"; next }
      { mark = "" }' "$MTKFW_ROOT/README.md" ;;
    man/*) awk '
      /^\.SH / { section = $2 }
      section != "EXAMPLES" { next }
      /^\.\\" not run: / { mark = $0; sub(/^\.\\" /, "", mark); next }
      /^\.EX$/ { inside = 1; text = (mark != "" ? mark "\n" : ""); mark = ""; next }
      inside && /^\.EE$/ { inside = 0; printf "%s%c", text, 0; next }
      inside { line = $0; gsub(/\\-/, "-", line); gsub(/\\e/, "\\", line); text = text line "\n"; next }
      /^\.PP$/ { next }
      { mark = "" }' "$MTKFW_ROOT/$1" ;;
    help:*) "${1#help:}" --help | awk '
      /^Example:$/ { inside = 1; next }
      inside && !/^  / { exit }
      inside { sub(/^  /, ""); text = text $0 "\n" }
      END { printf "%s%c", text, 0 }' ;;
  esac
}

# check_ext4 RAW NAME: e2fsck -fn passes; when NAME is a partition of sample/User, RAW is that
# partition's size and file system (its UUID), not another's.
check_ext4() {
  local range
  e2fsck -fn "$1" > "$BATS_TEST_TMPDIR/e2fsck.log" 2>&1 || { cat "$BATS_TEST_TMPDIR/e2fsck.log"; return 1; }
  range=$(partition_range sample/User "$2")
  [ -n "$range" ] || return 0
  set -- "$1" $range
  [ "$(stat -c %s "$1")" = "$3" ] || { echo "$1: $(stat -c %s "$1") bytes, the partition is $3"; return 1; }
  [ "$(uuid_of "$1")" = "$(uuid_of "sample/User?offset=$2")" ] || { echo "$1: not the partition's file system"; return 1; }
}
uuid_of() { dumpe2fs -h "$1" 2>/dev/null | awk '/^Filesystem UUID:/ {print $3}'; }

# check_output FILE: a file an example wrote, read back by the tool that consumes its kind.
check_output() {
  local f=$1 base=${1##*/} dir=${1%/*} range
  case $base in
    Checksum.ini) fw-checksum -c "$f" >/dev/null; return ;;
    *_Android_scatter.txt) scatter-gen --list "$f" >/dev/null; return ;;
    MD5SUMS) md5sum -c --quiet "$f" || (cd "$dir" && md5sum -c --quiet "$base"); return ;;
    XXH128SUMS) (cd "$dir" && xxhsum -c --quiet "$base"); return ;;
    *.json) jq -e . "$f" >/dev/null; return ;;
  esac
  if [ "$(od -An -tx1 -N4 "$f" | tr -d ' ')" = 3aff26ed ]; then          # Android sparse
    simg2img "$f" "$BATS_TEST_TMPDIR/expanded" && check_ext4 "$BATS_TEST_TMPDIR/expanded" "${base%.*}"
    local status=$?
    rm -f "$BATS_TEST_TMPDIR/expanded"
    return $status
  fi
  if [ "$(od -An -tx1 -j 1080 -N2 "$f" 2>/dev/null | tr -d ' ')" = 53ef ]; then
    check_ext4 "$f" "${base%.*}"; return
  fi
  range=$(partition_range sample/User "${base%.*}")                       # a raw partition image
  [ -z "$range" ] || cmp "$f" <(dd_range sample/User $range)
}

# run_examples SOURCE: runs SOURCE's examples in order in a fresh copy of the demo folder.
run_examples() {
  local w=$BATS_TEST_TMPDIR/w ex ran=0 f
  rm -rf "$w"; mkdir -p "$w"
  cp -a "$BATS_FILE_TMPDIR/tree/bin" "$BATS_FILE_TMPDIR/tree/scripts" "$w/"
  cp -a --sparse=always "$BATS_FILE_TMPDIR/tree/demo" "$w/demo"
  cd "$w/demo"
  while IFS= read -r -d '' -u 3 ex; do
    [[ $ex == "not run: "* ]] && continue
    ex=${ex//\/usr\/local\/share\/mtkfw\//..\/scripts\/}
    touch "$BATS_TEST_TMPDIR/before"
    run bash -eo pipefail -c "$ex" < /dev/null
    [ "$status" -eq 0 ] || fail "$(printf '%s example failed (exit %s):\n%s\n%s' "$1" "$status" "$ex" "$output")"
    while IFS= read -r f; do
      run check_output "$f"
      [ "$status" -eq 0 ] || fail "$(printf '%s example wrote %s, which does not check:\n%s\n%s' "$1" "$f" "$ex" "$output")"
    done < <(find . -type f -newer "$BATS_TEST_TMPDIR/before" | sort)
    ran=$(( ran + 1 ))
  done 3< <(examples_of "$1")
  [ "$ran" -gt 0 ] || fail "$1: no example ran"
}

@test "README.md examples" { run_examples README.md; }
@test "man/bl-strip.1 examples" { run_examples man/bl-strip.1; }
@test "man/ext4-sparse.1 examples" { run_examples man/ext4-sparse.1; }
@test "man/fw-checksum.1 examples" { run_examples man/fw-checksum.1; }
@test "man/gpt-list.1 examples" { run_examples man/gpt-list.1; }
@test "man/mksample.1 examples" { run_examples man/mksample.1; }
@test "man/part-cut.1 examples" { run_examples man/part-cut.1; }
@test "man/readback2fw.1 examples" { run_examples man/readback2fw.1; }
@test "man/scatter-gen.1 examples" { run_examples man/scatter-gen.1; }

@test "--help examples, each in its own copy" {
  for t in bl-strip ext4-sparse fw-checksum gpt-list part-cut scatter-gen readback2fw mtkfw-mksample; do
    run_examples "help:$t"
  done
}

@test "every man page and every tool's --help has its examples run here" {
  for page in "$MTKFW_ROOT"/man/*.1; do
    grep -qF "run_examples man/${page##*/};" "$BATS_TEST_FILENAME" || fail "no test runs ${page##*/}'s examples"
  done
  for src in "$MTKFW_ROOT"/filters/*.cpp; do
    t=${src##*/}; t=${t%.cpp}
    grep -qE "^  for t in (.* )?$t( |;)" "$BATS_TEST_FILENAME" || fail "no test runs $t --help's example"
  done
}

@test "examples marked not run" {
  marked=""
  for src in README.md "$MTKFW_ROOT"/man/*.1; do
    src=${src#"$MTKFW_ROOT"/}
    while IFS= read -r -d '' ex; do
      [[ $ex == "not run: "* ]] && marked+="$src: ${ex%%$'\n'*}; "
    done < <(examples_of "$src")
  done
  [ -z "$marked" ] || skip "$marked"
}
