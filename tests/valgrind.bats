#!/usr/bin/env bats
# Each tool once under valgrind (memcheck, full leak check) on a small valid input: no invalid
# access, no use of uninitialised memory, no definite or possible leak.  Skipped under
# `make test-sanitize` (ASan binaries and valgrind do not mix) and when valgrind is missing.

load test_helper
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"

setup() {
  [ -z "${MTKFW_BIN:-}" ] || skip "MTKFW_BIN is set (sanitizer build): valgrind checks the plain build"
  command -v valgrind >/dev/null || skip "valgrind is not installed (scripts/install-deps)"
  T=$BATS_TEST_TMPDIR
}

# vg TOOL ARGS...: runs the tool from bin/ under memcheck; fails on any error it reports.
vg() {
  local tool=$1; shift
  valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible \
    --errors-for-leak-kinds=definite,possible "$MTKFW_ROOT/bin/$tool" "$@"
}

@test "gpt-list under valgrind: human, --json and --tsv, file and pipe" {
  mtk_dump "$T/User"
  run vg gpt-list "$T/User"
  assert_success
  assert_output --partial "userdata"
  run vg gpt-list --json "$T/User"
  assert_success
  run bash -c "cat '$T/User' | valgrind -q --error-exitcode=99 --leak-check=full '$MTKFW_ROOT/bin/gpt-list' --tsv"
  assert_success
  assert_line --partial $'\tflashinfo\t'
}

@test "part-cut under valgrind: by name to a file, a range through pipes" {
  mtk_dump "$T/User"
  head -c 393216 /dev/urandom | dd of="$T/User" bs=512 seek=4608 conv=notrunc status=none
  run vg part-cut -o "$T/lk.img" "$T/User" lk
  assert_success
  cmp "$T/lk.img" <(dd if="$T/User" bs=512 skip=4608 count=768 status=none)
  run bash -c "cat '$T/User' | valgrind -q --error-exitcode=99 --leak-check=full '$MTKFW_ROOT/bin/part-cut' --offset 2359296 --size 100000 | cmp - <(dd if='$T/User' bs=512 skip=4608 status=none | head -c 100000)"
  assert_success
}

@test "bl-strip under valgrind: --info and the image" {
  boot1_image "$T/BOOT1" "$T/expected"
  run vg bl-strip --info "$T/BOOT1"
  assert_success
  run vg bl-strip -o "$T/pl.bin" "$T/BOOT1"
  assert_success
  cmp "$T/pl.bin" "$T/expected"
}

@test "scatter-gen under valgrind: from gpt-list --tsv, and --reformat" {
  mtk_dump "$T/User"
  gpt-list --tsv "$T/User" > "$T/table.tsv"
  run vg scatter-gen --platform MT6752 --project vg -o "$T/scatter.txt" "$T/table.tsv"
  assert_success
  run vg scatter-gen --reformat "$T/scatter.txt"
  assert_success
  assert_output "$(cat "$T/scatter.txt")"
}
