#!/usr/bin/env bats
# ext4-sparse on f2fs (common/format/f2fs.h, ops/f2fs_map.h, ops/f2fs_source.h): images made by
# mkfs.f2fs + sload.f2fs over old random data (tests/lib/f2fs.bash), checked by f2fs-tools, not
# by our reader: simg2img of our image passes fsck.f2fs exactly as the source does; every valid
# block of dump.f2fs's SIT is written and equal, every other main-area block (outside the current
# segments) DONT_CARE, our valid count is dump.f2fs's (tests/lib/f2fs-oracle.py).  Damaged
# images: clear errors, nothing written, --all-blocks suggested (tests/lib/f2fs-edit.py).

load test_helper
source "$MTKFW_ROOT/tests/lib/f2fs.bash"

setup() {
  need_f2fs_tools
  command -v simg2img >/dev/null || skip "simg2img not found (Debian package android-sdk-libsparse-utils)"
  cd "$BATS_TEST_TMPDIR"
}

# tree DIR KIND: random (files of random bytes, 0 B to 3 MiB), zeros (zero-filled files: FILL),
# many (2000 small files and directories).
tree() {  # DIR KIND
  local d=$1 i
  mkdir -p "$d/sub"
  case $2 in
    random) for i in 0 1 4095 4097 70000 1000000 3000000; do head -c "$i" /dev/urandom > "$d/r$i"; done ;;
    zeros) for i in 4096 500000 2000000; do head -c "$i" /dev/zero > "$d/z$i"; done
           head -c 300000 /dev/urandom > "$d/sub/mixed" ;;
    many) for i in $(seq 1 2000); do echo "file $i" > "$d/sub/f$i"; done
          for i in $(seq 1 50); do mkdir -p "$d/dir$i" && echo "$i" > "$d/dir$i/x"; done ;;
  esac
}

# fsck_clean IMG: fsck.f2fs --dry-run's report (version lines left out) and its exit status 0.
fsck_report() {  # IMG
  fsck.f2fs --dry-run "$1" > fsck.out 2>&1 || { cat fsck.out; echo "fsck.f2fs failed on $1"; return 1; }
  grep -v -e '^Info: .*version' -e '^  *"Linux' -e '^  *from "' -e '^  *to "' -e '^Done:' fsck.out
}

# check_image IMG: encode from the file, then every check of the header comment; the valid count
# of --info equals dump.f2fs's; a pipe and --offset/--size of a dump give the same bytes.
check_image() {  # IMG
  local img=$1 oracle ours
  run ext4-sparse --info -o "$img.simg" "$img"
  assert_success
  assert_output --partial 'ext4-sparse: f2fs'
  ours=$(sed -n 's/^ext4-sparse:   \([0-9]*\) main-area blocks valid by the SIT.*/\1/p' <<< "$output")
  oracle=$(f2fs_oracle "$img" "$img.simg")
  [ "$oracle" = "valid=$ours" ] || { echo "dump.f2fs: $oracle, ours: $ours"; return 1; }
  simg2img "$img.simg" expanded.img
  [ "$(stat -c %s expanded.img)" -eq "$(stat -c %s "$img")" ]
  diff <(fsck_report "$img") <(fsck_report expanded.img)
  run ext4-sparse --verify "$img.simg" "$img"
  assert_success
  assert_line verified=ok
  ext4-sparse < "$img" | cat > piped.simg
  cmp piped.simg "$img.simg"
  rm -f expanded.img piped.simg
}

# in_dump IMG: IMG between 3 MiB and 1 MiB of random bytes; --offset/--size (file and pipe) give
# the bytes of the image alone.
in_dump() {  # IMG
  local img=$1 size
  size=$(stat -c %s "$img")
  { head -c 3M /dev/urandom; cat "$img"; head -c 1M /dev/urandom; } > dump.bin
  ext4-sparse --offset 3M --size "$size" -o d.simg dump.bin
  cmp d.simg "$img.simg"
  ext4-sparse --offset 3M --size "$size" < dump.bin | cat > dp.simg
  cmp dp.simg "$img.simg"
  run ext4-sparse --verify d.simg --offset 3M --size "$size" dump.bin
  assert_success
  rm -f dump.bin d.simg dp.simg
}

@test "random files over old data: fsck.f2fs, dump.f2fs's valid blocks, file, pipe and --offset/--size alike" {
  tree src random
  f2fs_image r.img 160 src
  check_image r.img
  in_dump r.img
  # Old data in invalid blocks is really there, and left out: the image is far below the partition.
  [ "$(stat -c %s r.img.simg)" -lt $(( 60 << 20 )) ]
}

@test "zero-filled files: FILL, checked the same way" {
  tree src zeros
  f2fs_image z.img 128 src
  check_image z.img
  run ext4-sparse --info -o z2.simg z.img
  assert_output --regexp 'FILL [1-9][0-9]* chunks'
}

@test "many small files and directories" {
  tree src many
  f2fs_image m.img 128 src
  check_image m.img
}

@test "extra_attr, inode_checksum, sb_checksum" {
  tree src random
  f2fs_image c.img 128 src -O extra_attr,inode_checksum,sb_checksum
  run dump.f2fs c.img
  assert_output --partial sb_checksum
  check_image c.img
}

@test "compression feature (mkfs.f2fs -O extra_attr,compression; Debian's sload.f2fs has no compressor, files stored plain)" {
  tree src random
  f2fs_image x.img 128 src -O extra_attr,compression
  run dump.f2fs x.img
  assert_output --partial compression
  check_image x.img
}

@test "a nearly empty 8 GiB f2fs (sparse file): a small image, checked the same way" {
  tree src random
  f2fs_sparse_image big.img 8192 src
  check_image big.img
  local total
  total=$(od -An -tu4 -j 16 -N 4 big.img.simg | tr -d ' ')
  [ "$total" -eq $(( 8192 * 256 )) ]
  # The metadata areas of 8 GiB (NAT, SIT, SSA: some tens of MiB) and the valid blocks only.
  [ "$(stat -c %s big.img.simg)" -lt $(( 160 << 20 )) ]
  rm -f big.img big.img.simg
}

@test "the oracle can fail: a sparse image that leaves out a valid block is refused by f2fs-oracle.py" {
  tree src random
  f2fs_image o.img 128 src
  local main
  main=$(dump.f2fs -d 1 o.img | sed -n 's/^main_blkaddr[[:space:]]*\[0x *[0-9a-f]* : \([0-9]*\)\]/\1/p')
  # DONT_CARE over the whole main area: its valid blocks are missing.
  python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" o.img bad.simg "$main" $(( $(stat -c %s o.img) / 4096 - 2 ))
  run f2fs_oracle o.img bad.simg
  assert_failure
  assert_output --partial 'is DONT_CARE'
  # And all blocks RAW writes invalid ones.
  ext4-sparse --all-blocks -o all.simg o.img
  run f2fs_oracle o.img all.simg
  assert_failure
  assert_output --partial 'invalid main-area block'
}

# refused IMG TEXT: a clear error naming TEXT, the --all-blocks hint, no output left, from a file
# and a pipe; --all-blocks then copies it.
refused() {  # IMG TEXT
  rm -f refused.simg
  run ext4-sparse -o refused.simg "$1"
  assert_failure 1
  assert_output --partial "ext4-sparse: error: $1: "
  assert_output --partial "$2"
  assert_line 'ext4-sparse: hint: use --all-blocks to copy every block instead'
  assert_no_output_left . refused.simg
  run bash -c "ext4-sparse -o refused.simg < '$1'"
  assert_failure 1
  assert_output --partial "$2"
  assert_no_output_left . refused.simg
  run ext4-sparse --all-blocks -o refused.simg "$1"
  assert_success
  # --verify reads the same map: the same refusal.
  run ext4-sparse --verify refused.simg "$1"
  assert_failure 1
  assert_output --partial "$2"
  rm -f refused.simg
}

@test "bad input: a damaged primary superblock: the backup is used, with a warning (and with sb_checksum, a wrong CRC)" {
  tree src random
  f2fs_image p.img 128 src
  flip_byte p.img 1024
  run ext4-sparse -o p.simg p.img
  assert_success
  assert_output --partial 'no magic 0xf2f52010'
  assert_output --partial 'the backup superblock (block 1) is used'
  f2fs_oracle p.img p.simg
  f2fs_image s.img 128 src -O extra_attr,sb_checksum
  flip_byte s.img $(( 1024 + 0x7C ))  # the label: only the CRC can tell
  run ext4-sparse -o s.simg s.img
  assert_success
  assert_output --partial 'superblock checksum'
  assert_output --partial 'the backup superblock (block 1) is used'
  f2fs_oracle s.img s.simg
  flip_byte s.img $(( 4096 + 1024 + 0x7C ))  # both copies bad
  refused s.img 'superblock checksum'
}

@test "bad input: both checkpoint packs invalid" {
  tree src random
  f2fs_image cp.img 128 src
  local cp
  cp=$(od -An -tu4 -j $((1024 + 0x4C)) -N 4 cp.img | tr -d ' ')
  flip_byte cp.img $(( cp * 4096 + 0x10 ))
  run ext4-sparse -o out.simg cp.img
  assert_success  # one pack left: it is used
  flip_byte cp.img $(( (cp + 512) * 4096 + 0x10 ))
  refused cp.img 'no valid checkpoint: pack 1'
}

@test "bad input: a SIT entry counting more valid blocks than its bitmap holds" {
  tree src random
  f2fs_image sit.img 128 src
  f2fs_edit sit.img sit-overcount
  refused sit.img 'counts 1 valid blocks, its bitmap holds 0'
}

@test "bad input: a segment count past the device" {
  tree src random
  f2fs_image seg.img 128 src -O extra_attr,sb_checksum
  f2fs_edit seg.img sb-u32 0x30 $(( 128 * 256 / 512 + 1 ))
  refused seg.img 'is past the device'
  # block_count past the end of the input (a truncated dump).
  f2fs_image trunc.img 128 src
  truncate -s 100M trunc.img
  refused trunc.img 'block_count past the end of the input'
}

@test "bad input: an unknown feature, and a known one not read (blkzoned)" {
  tree src random
  f2fs_image feat.img 128 src
  f2fs_edit feat.img sb-or 0x884 0x40000000
  refused feat.img 'unknown f2fs feature bit 0x40000000'
  f2fs_image zoned.img 128 src
  f2fs_edit zoned.img sb-or 0x884 0x2
  refused zoned.img "f2fs feature 'blkzoned' is not supported"
}
