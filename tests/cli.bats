#!/usr/bin/env bats
# Conventions every tool shares (doc/CLI.md), one table over all tools: --help, --version, man pages,
# usage errors, and the inputs and outputs every filter refuses the same way (empty file,
# directory, missing file, -o /dev/full, stdout on /dev/full, -o onto its own input).  Each
# refusal is checked by refused (tests/lib/bad-input.bash): exit status, the whole last stderr
# line (for a filter the whole stderr), nothing on stdout, no output file left, inputs unchanged.

load test_helper
source "$MTKFW_ROOT/tests/lib/bad-input.bash"

tools() { for t in "$MTKFW_ROOT"/filters/*.cpp; do basename "$t" .cpp; done; }

# How each filter is called on a valid input: TOOL [options] INPUT [operands].  "ext4-sparse -d"
# is the decoder, a second face of ext4-sparse.
filter_calls() {
  cat <<'CALLS'
bl-strip        |                                |Boot1                      |
ext4-sparse     |                                |fs.img                     |
ext4-sparse -d  |-d                              |fs.simg                    |
fw-checksum     |                                |MT6752_Android_scatter.txt |
gpt-list        |                                |User                       |
part-cut        |                                |User                       |lk
scatter-gen     |--platform MT6752 --project p   |table.tsv                  |
CALLS
}

# The refusals: CASE TOOL | EXIT | the last stderr line after "TOOL: error: " (files named as
# given, relative to $IN).  Cases: empty (an empty file), directory, missing (no such file),
# full (-o /dev/full), stdout-full (stdout on /dev/full), same (-o onto the input).
refusals() {
  cat <<'ROWS'
empty       bl-strip       |1|empty: empty (0 bytes): not a BOOT1 readback nor a preloader image
empty       ext4-sparse    |1|empty: not an ext2/3/4 file system: only 0 bytes
empty       ext4-sparse -d |1|empty: not a sparse image: shorter than its 28-byte header
empty       fw-checksum    |1|empty: empty scatter file (did the command before this one fail?)
empty       gpt-list       |1|empty: no valid GPT (the file is empty)
empty       part-cut       |1|empty: no valid GPT (the file is empty)
empty       scatter-gen    |1|empty: empty partition table (did the command before this one fail?)
empty       readback2fw    |1|empty: empty (0 bytes): not a BOOT1 readback nor a preloader image
directory   bl-strip       |1|dir: is a directory
directory   ext4-sparse    |1|dir: is a directory
directory   ext4-sparse -d |1|dir: is a directory
directory   fw-checksum    |1|dir: is a directory
directory   gpt-list       |1|dir: is a directory
directory   part-cut       |1|dir: is a directory
directory   scatter-gen    |1|dir: is a directory
directory   readback2fw    |1|dir: is a directory
missing     bl-strip       |3|nosuch: No such file or directory
missing     ext4-sparse    |3|nosuch: No such file or directory
missing     ext4-sparse -d |3|nosuch: No such file or directory
missing     fw-checksum    |3|nosuch: No such file or directory
missing     gpt-list       |3|nosuch: No such file or directory
missing     part-cut       |3|nosuch: No such file or directory
missing     scatter-gen    |3|nosuch: No such file or directory
missing     readback2fw    |3|nosuch: No such file or directory
full        bl-strip       |3|/dev/full: No space left on device
full        ext4-sparse    |3|/dev/full: No space left on device
full        ext4-sparse -d |3|/dev/full: No space left on device
full        fw-checksum    |3|/dev/full: No space left on device
full        gpt-list       |3|/dev/full: No space left on device
full        part-cut       |3|/dev/full: No space left on device
full        scatter-gen    |3|/dev/full: No space left on device
stdout-full bl-strip       |3|standard output: No space left on device
stdout-full ext4-sparse    |3|standard output: No space left on device
stdout-full ext4-sparse -d |3|standard output: No space left on device
stdout-full fw-checksum    |3|standard output: No space left on device
stdout-full gpt-list       |3|standard output: No space left on device
stdout-full part-cut       |3|standard output: No space left on device
stdout-full scatter-gen    |3|standard output: No space left on device
same        bl-strip       |2|Boot1: output is the same file as the input
same        ext4-sparse    |2|fs.img: output is the same file as the input
same        ext4-sparse -d |2|fs.simg: output is the same file as the input
same        fw-checksum    |2|MT6752_Android_scatter.txt: output is the same file as the input
same        gpt-list       |2|User: output is the same file as the input
same        part-cut       |2|User: output is the same file as the input
same        scatter-gen    |2|table.tsv: output is the same file as the input
ROWS
}

setup_file() {
  load test_helper
  source "$MTKFW_ROOT/tests/lib/bl-strip.bash"
  source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"
  local d=$BATS_FILE_TMPDIR/inputs
  mkdir -p "$d"
  mtk_dump "$d/User"
  head -c 393216 /dev/urandom | dd of="$d/User" bs=512 seek=4608 conv=notrunc status=none
  gpt-list -q --tsv "$d/User" > "$d/table.tsv"
  boot1_image "$d/Boot1" "$BATS_FILE_TMPDIR/preloader" --body 1000000
  mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -d "$MTKFW_ROOT/man" "$d/fs.img" 1024 >/dev/null 2>&1
  ext4-sparse -o "$d/fs.simg" "$d/fs.img"
  head -c 300000 /dev/urandom > "$d/lk.bin"
  fwck_scatter "$d/MT6752_Android_scatter.txt" lk:lk.bin:true
  cp "$BATS_FILE_TMPDIR/preloader" "$d/preloader.bin"
  echo 'lk UPDATE lk.bin' > "$d/policy.txt"
}

setup() {
  IN=$BATS_TEST_TMPDIR/in
  OUT=$BATS_TEST_TMPDIR/out
  mkdir -p "$OUT"
  cp -r --sparse=always "$BATS_FILE_TMPDIR/inputs" "$IN"
  : > "$IN/empty"
  mkdir "$IN/dir"
  cd "$IN"
}

trim() { local s=$1; s=${s#"${s%%[! ]*}"}; printf '%s' "${s%"${s##*[! ]}"}"; }

# check_refusals CASE: runs every row of that case; one failure names its row and stops the test.
check_refusals() {
  local case=$1 rowcase call code message name pre input post tool regex n=0
  while IFS='|' read -r rowcase code message; do
    [ "$(trim "${rowcase%% *}")" = "$case" ] || continue
    name=$(trim "${rowcase#* }")
    tool=${name%% *}
    regex="^$tool: error: $(sed 's/[][\\.*^$+?(){}|]/\\&/g' <<< "$message")\$"
    n=$((n + 1))
    if [ "$name" = readback2fw ]; then
      case $case in
        empty)     refused "$code" "$regex" readback2fw empty empty "$OUT/fw" ;;
        directory) refused "$code" "$regex" readback2fw dir empty "$OUT/fw" ;;
        missing)   refused "$code" "$regex" readback2fw nosuch User "$OUT/fw" ;;
      esac
      continue
    fi
    call=$(filter_calls | grep "^$name *|")
    IFS='|' read -r _ pre input post <<< "$call"
    read -ra pre <<< "$pre"; read -ra post <<< "$post"; input=$(trim "$input")
    case $case in
      empty)       refused "$code" "$regex" "$tool" "${pre[@]}" -o "$OUT/x" empty "${post[@]}" ;;
      directory)   refused "$code" "$regex" "$tool" "${pre[@]}" -o "$OUT/x" dir "${post[@]}" ;;
      missing)     refused "$code" "$regex" "$tool" "${pre[@]}" -o "$OUT/x" nosuch "${post[@]}" ;;
      full)        refused "$code" "$regex" "$tool" "${pre[@]}" -q -o /dev/full "$input" "${post[@]}" ;;
      stdout-full) refused "$code" "$regex" --stdout-full "$tool" "${pre[@]}" -q "$input" "${post[@]}" ;;
      same)        refused "$code" "$regex" "$tool" "${pre[@]}" -q -o "$input" "$input" "${post[@]}" ;;
    esac || { echo "row: $rowcase|$code|$message" >&2; return 1; }
    # A filter says nothing but its error line.
    [ "$stderr" = "$tool: error: $message" ] || { echo "row: $rowcase: stderr was: $stderr" >&2; return 1; }
  done < <(refusals)
  [ "$n" -gt 0 ]
}

@test "an empty file is refused with exit 1, by every tool" { check_refusals empty; }
@test "a directory as input is refused with exit 1, by every tool" { check_refusals directory; }
@test "a missing input is an I/O error (exit 3), for every tool" { check_refusals missing; }
@test "-o /dev/full is an I/O error (exit 3), for every filter" { check_refusals full; }
@test "stdout on /dev/full is an I/O error (exit 3), for every filter" { check_refusals stdout-full; }
@test "-o onto the input is a usage error (exit 2) and leaves it untouched, for every filter" { check_refusals same; }

@test "every tool answers --help and --version with exit 0" {
  for t in $(tools) readback2fw; do
    run "$t" --help
    assert_success
    assert_output --partial "Usage: $t"
    assert_output --partial "Exit status:"
    run "$t" --version
    assert_success
    assert_output --regexp "^$t \(mtkfw\) [0-9]+\.[0-9]+\.[0-9]+$"
  done
}

@test "--help or --version into /dev/full is an I/O error (exit 3), never an abort, for every filter" {
  for t in $(tools); do
    for o in --help --version; do
      run --separate-stderr bash -c '"$1" "$2" > /dev/full' _ "$t" "$o"
      [ "$status" -eq 3 ] || fail "$t $o > /dev/full: exit $status (stderr: $stderr)"
      [ "$stderr" = "$t: error: standard output: No space left on device" ] || fail "$t $o: '$stderr'"
    done
  done
}

@test "an empty file name is a usage error (exit 2), not standard input, for every filter" {
  for t in $(tools); do
    run --separate-stderr "$t" ""
    [ "$status" -eq 2 ] || fail "$t '': exit $status"
    [ "$stderr" = "$t: error: an empty file name (use - for standard input)" ] || fail "$t '': '$stderr'"
  done
}

@test "--help names each tool's own options" {
  for row in "part-cut --offset" "bl-strip --strict" "ext4-sparse --all-blocks"; do
    run ${row% *} --help
    assert_success
    assert_output --partial -- "${row#* }"
  done
}

@test "every tool and script has a man page that renders without warnings" {
  for t in $(tools) $(ls "$MTKFW_ROOT/scripts" | grep -v -e install-deps -e run-tests -e '\.mk$' -e '\.bash$'); do
    page="$MTKFW_ROOT/man/$t.1"
    assert_file_exists "$page"
    run bash -c "MANWIDTH=80 man --warnings -l '$page' 2>&1 >/dev/null"
    assert_output ""
    run bash -c "MANWIDTH=80 man -l '$page'"
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
      assert_output --partial "$section"
    done
  done
}

@test "an unknown option is a usage error (exit 2) naming --help" {
  for t in $(tools) readback2fw; do
    run --separate-stderr "$t" --no-such-option
    assert_failure 2
    [[ "$stderr" == "$t: error: "*"--help"* ]]
  done
}

# Every filter call that writes its data to stdout, and whether that output is larger than a pipe
# holds (64 KiB), so that a reader that leaves early (`| head -c 10`) surely closes the pipe before
# the end: "big" (binary) and "bigtext" rows must die of SIGPIPE, "small" rows may finish first
# (exit 0).  `head -1` reads a binary output to its first newline, maybe its end: text rows only.
stdout_calls() {
  cat <<'CALLS'
big   bl-strip Boot1
big   ext4-sparse fs.img
big   ext4-sparse -d fs.simg
big   part-cut --offset 0 --size 8M User
big   part-cut User lk
bigtext fw-checksum --format md5sum ../many/*
small gpt-list User
small gpt-list --tsv User
small scatter-gen --platform MT6752 --project p table.tsv
small fw-checksum MT6752_Android_scatter.txt
small fw-checksum --format md5sum lk.bin
small fw-checksum --format xxh128 lk.bin
small ext4-sparse --verify fs.simg fs.img
small bl-strip --info Boot1
CALLS
}

# ../many/ (beside $IN, not hashed as an input): enough files that their md5sum list outgrows a pipe.
many_files() {
  mkdir ../many
  for i in $(seq 3000); do : > "../many/a-long-file-name-so-that-the-list-outgrows-a-pipe-$i"; done
}

@test "a closed stdout kills every filter by SIGPIPE (exit 141 as with cat), silently, inputs untouched" {
  many_files
  local size call before
  while read -r size call; do
    inputs_state; before=$INPUTS
    # shellcheck disable=SC2086  # the call's words, globs included
    run --separate-stderr python3 "$MTKFW_ROOT/tests/lib/closed-stdout.py" $call -q
    [ "$status" -eq 141 ] || fail "$call: exit $status, expected 141 (stderr: $stderr)"
    [ -z "$stderr" ] || fail "$call: said '$stderr'"
    inputs_state --fresh
    [ "$INPUTS" = "$before" ] || fail "$call: changed its input"
  done < <(stdout_calls)
}

@test "| head: the filter's PIPESTATUS is 141 when its reader left early, 0 when it finished first, never a message" {
  many_files
  local size call reader readers codes
  while read -r size call; do
    readers=('head -c 10')
    [ "$size" = big ] || readers+=('head -1')
    for reader in "${readers[@]}"; do
      codes=$(bash -c "$call -q 2>'$OUT/err' | $reader >/dev/null; echo \${PIPESTATUS[*]}")
      [ -z "$(cat "$OUT/err")" ] || fail "$call | $reader: said '$(cat "$OUT/err")'"
      if [ "$size" != small ]; then
        [ "$codes" = "141 0" ] || fail "$call | $reader: PIPESTATUS $codes, expected '141 0'"
      else
        [[ "$codes" == "141 0" || "$codes" == "0 0" ]] || fail "$call | $reader: PIPESTATUS $codes"
      fi
    done
  done < <(stdout_calls)
  rm "$OUT/err"
}

# Each filter's -o (or other output option: @) over each of its inputs (the file after "|").
same_file_calls() {
  cat <<'CALLS'
part-cut -o @ User lk                                                |User
gpt-list --tsv -o @ User                                             |User
bl-strip -o @ Boot1                                                  |Boot1
bl-strip --info -o @ Boot1                                           |Boot1
ext4-sparse -o @ fs.img                                              |fs.img
ext4-sparse -d -o @ fs.simg                                          |fs.simg
ext4-sparse --verify fs.simg -o @ fs.img                             |fs.img
ext4-sparse --verify fs.simg -o @ fs.img                             |fs.simg
scatter-gen --platform MT6752 --project p -o @ table.tsv             |table.tsv
scatter-gen --platform MT6752 --preloader preloader.bin -o @ table.tsv |preloader.bin
scatter-gen --platform MT6752 --project p --policy policy.txt -o @ table.tsv |policy.txt
fw-checksum -o @ MT6752_Android_scatter.txt                          |MT6752_Android_scatter.txt
fw-checksum -o @ MT6752_Android_scatter.txt                          |lk.bin
fw-checksum --md5-list @ -o ../out/ini MT6752_Android_scatter.txt    |lk.bin
fw-checksum --xxh128-list @ -o ../out/ini MT6752_Android_scatter.txt |MT6752_Android_scatter.txt
fw-checksum --format md5sum -o @ lk.bin                              |lk.bin
fw-checksum --format xxh128 -o @ table.tsv lk.bin                    |lk.bin
CALLS
}

@test "no -o is ever an input: by name, ./name, absolute path, symlink or hard link, for every filter and input" {
  local call input form before words
  while IFS='|' read -r call input; do
    input=$(trim "$input")
    ln -sf "$input" "link-$input"
    ln -f "$input" "hard-$input"
    for form in "$input" "./$input" "$IN/$input" "link-$input" "hard-$input"; do
      before=$(md5sum < "$input")
      read -ra words <<< "${call//@/$form}"
      refused 2 'output is the same file as the input$' "${words[@]}" -q ||
        fail "$call with @ = $form over $input"
      [ "$(md5sum < "$input")" = "$before" ] || fail "$call with @ = $form: $input changed"
      [ -L "link-$input" ] || fail "$call with @ = $form: the symlink was replaced"
    done
    rm "link-$input" "hard-$input"
  done < <(same_file_calls)
}
