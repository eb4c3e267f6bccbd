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

@test "ext4-sparse under valgrind: encode (file and pipe), --info, -d and --verify" {
  mkdir -p "$T/root"
  head -c 200000 /dev/urandom > "$T/root/data"
  mke2fs -q -F -t ext4 -b 4096 -d "$T/root" "$T/fs.img" 1024 >/dev/null 2>&1
  run vg ext4-sparse --info -o "$T/fs.simg" "$T/fs.img"
  assert_success
  run bash -c "cat '$T/fs.img' | valgrind -q --error-exitcode=99 --leak-check=full '$MTKFW_ROOT/bin/ext4-sparse' -o '$T/pipe.simg'"
  assert_success
  run vg ext4-sparse -d -o "$T/fs.raw" "$T/fs.simg"
  assert_success
  simg2img "$T/fs.simg" "$T/oracle.raw"
  cmp "$T/fs.raw" "$T/oracle.raw"
  run vg ext4-sparse --verify "$T/fs.simg" "$T/fs.img"
  assert_success
  assert_line verified=ok
}

@test "fw-checksum under valgrind: Checksum.ini with --md5, -c, and both list formats" {
  source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"
  head -c 100000 /dev/urandom > "$T/lk.bin"
  head -c 300000 /dev/urandom > "$T/boot.img"
  fwck_scatter "$T/MT6752_Android_scatter.txt" lk:lk.bin:true boot:boot.img:true nvram:NONE:false
  run vg fw-checksum --md5 -o "$T/Checksum.ini" "$T/MT6752_Android_scatter.txt"
  assert_success
  run vg fw-checksum -c "$T/Checksum.ini"
  assert_success
  assert_output "$(printf 'lk: OK\nboot: OK')"
  cd "$T"
  run vg fw-checksum --format md5sum -o list.md5 lk.bin boot.img
  assert_success
  md5sum -c --quiet list.md5
  run vg fw-checksum --format xxh128 -o list.xxh lk.bin boot.img
  assert_success
  xxhsum -c --quiet list.xxh
}
