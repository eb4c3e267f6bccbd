#!/usr/bin/env bats
# readback2fw and readback.mk on a modern readback whose super partition holds a real super made by
# AOSP lpmake (tests/lib/super.bash: super_fixture vab, old random data in its unallocated space):
# super.img is an allocation-aware sparse image proven against the dump, its scatter row stays
# NORMAL_ROM as stock has it (MODERN.md 1.7).  Checked by consumers nobody here wrote: od on the
# sparse header and chunk headers, simg2img, lpunpack, lpdump, dumpe2fs, e2fsck, fsck.erofs, awk
# on the scatter text, python's byte sum; a damaged super must stop the run, never be copied raw.

load test_helper
source "$MTKFW_ROOT/tests/lib/readback-modern.bash"
source "$MTKFW_ROOT/tests/lib/super.bash"
# es_dont_care (the DONT_CARE ranges of a sparse image, read with od), es_dump_free (dumpe2fs).
source "$MTKFW_ROOT/tests/lib/ext4-sparse.bash"

setup_file() {
  # Without the peers there is nothing to build: each test's setup then skips (need_lp_peers; bats
  # 1.8 cannot skip from setup_file, and its skip ends the subshell before the echo).
  [ -n "$(need_lp_peers >/dev/null 2>&1; echo "$LP_BIN")" ] || return 0
  need_lp_peers
  export RB=$BATS_FILE_TMPDIR/rb FW=$BATS_FILE_TMPDIR/fw SUPER=$BATS_FILE_TMPDIR/super.img
  super_fixture vab "$SUPER"
  modern_readback "$RB" --super "$SUPER"
  readback2fw -q --platform MT6768 "$RB/Boot1" "$RB/User" "$FW"
}

setup() {
  need_lp_peers
  cd "$BATS_TEST_TMPDIR"
}

# The dump's super partition (sfdisk's range, dd's bytes) into FILE.
dump_super() {  # DUMP FILE
  local start size
  read -r start size < <(partition_range "$1" super)
  dd_range "$1" "$start" "$size" > "$2"
}

# FILE with the block ranges ("first last" lines on stdin, 4096-byte blocks) zeroed in place.
zero_blocks() {  # FILE
  local s e
  while read -r s e; do
    dd if=/dev/zero of="$1" bs=4096 seek="$s" count=$((e - s + 1)) conv=notrunc status=none
  done
}

# The key: value lines of the scatter text's super row, read by awk (not by our parser).
super_row() {  # SCATTER
  awk '/partition_name:/ { row = ($2 == "super") } row && /^ *[a-z_]+:/ { sub(/^ */, ""); print }' "$1"
}

@test "super.img is an Android sparse image, its scatter row NORMAL_ROM, super.img, downloaded" {
  assert_equal "$(od -An -tx4 -N4 "$FW/super.img" | tr -d ' ')" ed26ff3a
  run super_row "$FW/MT6768_Android_scatter.txt"
  assert_line "file_name: super.img"
  assert_line "is_download: true"
  assert_line "type: NORMAL_ROM"
  # Far smaller than the partition: the unallocated old data and free ext4 blocks are left out.
  local size
  read -r _ size < <(partition_range "$RB/User" super)
  [ "$(stat -c %s "$FW/super.img")" -lt $(( size / 2 )) ]
}

@test "super.img: every block it writes equals the dump's, space no extent uses is not written" {
  simg2img "$FW/super.img" expanded.img
  dump_super "$RB/User" super.raw
  assert_equal "$(stat -c %s expanded.img)" "$(stat -c %s super.raw)"
  # The DONT_CARE blocks (od on the chunk headers) zeroed in the dump's copy: then equal.
  es_dont_care "$FW/super.img" > dont_care
  [ -s dont_care ]
  zero_blocks super.raw < dont_care
  cmp super.raw expanded.img
  # The metadata is there: lpdump reads the same layout from the expansion as from the dump.
  dump_super "$RB/User" dump-super.raw
  diff <("$LP_BIN/lpdump" dump-super.raw) <("$LP_BIN/lpdump" expanded.img)
}

@test "super.img: lpunpack of the expansion gives the original logical partitions (used blocks)" {
  simg2img "$FW/super.img" expanded.img
  mkdir parts
  "$LP_BIN/lpunpack" expanded.img parts
  local name orig
  for name in system_a vendor_a; do
    orig=$SUPER.d/$name.img
    e2fsck -fn "parts/$name.img"
    # Free ext4 blocks (dumpe2fs of the original) may hold anything in a dump: compared zeroed.
    cp "$orig" "orig-$name.img"
    es_dump_free "$orig" > "free-$name"
    zero_blocks "orig-$name.img" < "free-$name"
    zero_blocks "parts/$name.img" < "free-$name"
    cmp "orig-$name.img" "parts/$name.img"
  done
  # erofs: every byte written (no free-block map), its partition rounded up to a MiB after it.
  cmp -n "$(stat -c %s "$SUPER.d/product_a.img")" "$SUPER.d/product_a.img" parts/product_a.img
  fsck.erofs parts/product_a.img
  for name in system_b vendor_b product_b; do
    assert_equal "$(stat -c %s "parts/$name.img")" 0
  done
}

@test "report.txt: super written sparse (its LP metadata, flashed bytes of the partition's) and proven" {
  local size flashed
  read -r _ size < <(partition_range "$RB/User" super)
  run grep -E '^  super\.img ' "$FW/report.txt"
  assert_output --regexp "^  super\.img +$(stat -c %s "$FW/super.img") +[0-9]+  sparse super image of super \(LP [0-9.]+, 3 slots, 6 partitions\): flashes [0-9]+ of its $size bytes$"
  flashed=$(awk '$1 == "super.img" { print $3 }' "$FW/report.txt")
  [ "$flashed" -lt "$size" ]
  # The flashed bytes: what the chunk headers say the flasher writes (all but DONT_CARE).
  local dc=0 s e
  while read -r s e; do dc=$(( dc + e - s + 1 )); done < <(es_dont_care "$FW/super.img")
  assert_equal "$flashed" $(( size - dc * 4096 ))
  run sed -n '/^verified:/,$p' "$FW/report.txt"
  assert_output --partial "(ext4-sparse --verify)"
  assert_line --regexp '^    super\.img: the same proof'
}

@test "Checksum.ini: super= is the byte sum of super.img as written, fw-checksum -c passes" {
  run fw-checksum -c "$FW/Checksum.ini" "$FW/MT6768_Android_scatter.txt"
  assert_success
  run bash -c "tr -d '\r' < '$FW/Checksum.ini'"
  assert_line "super=$(byte_sum "$FW/super.img")"
}

@test "a super whose geometries are both damaged fails the run, naming super and why; nothing published" {
  cp "$RB/User" User
  local start
  read -r start _ < <(partition_range User super)
  # A byte of metadata_max_size (+40) in each geometry (+4096, +8192): magic kept, SHA-256 wrong.
  flip_byte User $(( start + 4096 + 40 ))
  flip_byte User $(( start + 8192 + 40 ))
  run --separate-stderr readback2fw -q --platform MT6768 "$RB/Boot1" User fw
  assert_failure 1
  echo "$stderr"
  [[ $stderr == *"readback2fw: error: super.img: partition super of User cannot be written as a sparse image"* ]]
  # The filter's reason, in readback2fw's voice, before it.
  [[ $stderr =~ readback2fw:\ error:\ [^$'\n']*(geometr|LP)[^$'\n']* ]]
  [[ $stderr != *"--all-blocks"* ]]   # ext4-sparse's flag, not readback2fw's
  [[ $stderr == *"readback2fw: hint: to build without super, give --skip super"* ]]
  # No folder SP Flash Tool would load, no half-written super.img anywhere under it.
  [ ! -e fw ] || [ -z "$(find fw -name '*super.img*' -o -name '*scatter*' -o -name Checksum.ini)" ]
  # The hint works: without super the rest is made, super's row kept, not downloaded.
  run readback2fw -q --platform MT6768 --skip super "$RB/Boot1" User skipped
  assert_success
  assert_file_not_exists skipped/super.img
  run super_row skipped/MT6768_Android_scatter.txt
  assert_line "is_download: false"
}

@test "readback.mk (make -j2) writes the same super.img, and a damaged super fails it the same way" {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -f "$MTKFW_ROOT/scripts/readback.mk" \
    BOOT1="$RB/Boot1" USER="$RB/User" OUT=mk PLATFORM=MT6768
  cmp "$FW/super.img" mk/super.img
  diff -r -x .mtkfw "$FW" mk
  cp "$RB/User" User
  local start
  read -r start _ < <(partition_range User super)
  flip_byte User $(( start + 4096 + 40 ))
  flip_byte User $(( start + 8192 + 40 ))
  run --separate-stderr env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -f "$MTKFW_ROOT/scripts/readback.mk" \
    BOOT1="$RB/Boot1" USER=User OUT=bad PLATFORM=MT6768
  assert_failure
  [[ $stderr == *"super.img: partition super of User cannot be written as a sparse image"* ]]
  [ ! -e bad ] || [ -z "$(find bad -name '*super.img*' -o -name '*scatter*' -o -name Checksum.ini)" ]
  [ -z "$(find bad.mtkfw-state -name '*super.img*' 2>/dev/null)" ]
}
