#!/usr/bin/env bats
# ext4-sparse on a super partition: supers made by AOSP lpmake/lpadd (tests/lib/super.bash),
# our sparse image read back by simg2img, lpunpack, lpdump, e2fsck, fsck.erofs, dumpe2fs and
# img2simg (tests/lib/super-sparse.bash).

load test_helper
source "$MTKFW_ROOT/tests/lib/super.bash"
source "$MTKFW_ROOT/tests/lib/ext4-sparse.bash"
source "$MTKFW_ROOT/tests/lib/super-sparse.bash"

setup_file() {
  need_lp_peers
  local kind
  for kind in vab nonab multi tail; do super_fixture "$kind" "$BATS_FILE_TMPDIR/$kind.img"; done
}

setup() {
  need_lp_peers
  cd "$BATS_TEST_TMPDIR"
  F=$BATS_FILE_TMPDIR
}

# encode_and_check KIND: a super image file in, a file out.
encode_and_check() {
  run ext4-sparse -o s.img "$F/$1.img"
  assert_success
  assert_output ''
  run ss_check "$F/$1.img" s.img work
  assert_success
}

@test "super, A/B virtual-A/B (3 slots, 10.2, ext4 with deleted files, erofs lz4, empty _b)" {
  encode_and_check vab
}

@test "super, non-A/B (2 slots, ext4 and plain erofs)" {
  encode_and_check nonab
}

@test "super, a partition of several extents" {
  encode_and_check multi
}

@test "super, file systems smaller than their partitions, AVB-like tails after them" {
  encode_and_check tail
  # The tails are RAW: the expansion's last 64 bytes of system are the footer.
  run bash -c "tail -c 64 work/unpacked/system.img | head -c 4"
  assert_output AVBf
}

@test "super inside a GPT dump (--offset/--size), every kind" {
  local kind where
  for kind in vab nonab multi tail; do
    read -r -a where < <(ss_dump_with_super "$F/$kind.img" "dump-$kind")
    run ext4-sparse --offset "${where[0]}" --size "${where[1]}" -o "s-$kind.img" "dump-$kind"
    assert_success
    assert_output ''
    run ss_check "$F/$kind.img" "s-$kind.img" "work-$kind"
    assert_success
    run ext4-sparse --verify "s-$kind.img" --offset "${where[0]}" --size "${where[1]}" "dump-$kind"
    assert_success
    assert_line verified=ok
  done
}

@test "super inside a dump: --offset without --size is refused, naming the GPT partition's size" {
  local where
  read -r -a where < <(ss_dump_with_super "$F/nonab.img" dump)
  run --separate-stderr ext4-sparse --offset "${where[0]}" -o s.img dump
  assert_failure 2
  assert_equal "$stderr" "ext4-sparse: error: --offset ${where[0]}: the super partition (its LP metadata) there is ${where[1]} bytes, but without --size the image would cover all $(( $(stat -c %s dump) - where[0] )) bytes to the end of dump (the partitions after it too); give --size ${where[1]}, the length of partition super in its GPT"
  assert_file_not_exists s.img
}

@test "super from a pipe: one pass, every extent block kept, unallocated space left out" {
  local kind
  for kind in vab nonab multi tail; do
    run --separate-stderr bash -c "cat '$F/$kind.img' | ext4-sparse > s-$kind.img"
    assert_success
    [ "$stderr" = "ext4-sparse: standard input: a super read from a pipe: every block of every extent is kept (the free blocks of an ext4 inside cannot be known before its bitmaps come); given as a file, they are left out" ]
    run ss_check "$F/$kind.img" "s-$kind.img" "work-$kind" pipe
    assert_success
    run ext4-sparse --verify "s-$kind.img" "$F/$kind.img"
    assert_success
  done
  # A pipe into a pipe (the image spooled), and --offset/--size from a pipe.
  run bash -c "cat '$F/vab.img' | ext4-sparse 2>/dev/null | cat > spooled.img"
  assert_success
  run ss_check "$F/vab.img" spooled.img work-spooled pipe
  assert_success
  local where
  read -r -a where < <(ss_dump_with_super "$F/nonab.img" dump)
  run bash -c "cat dump | ext4-sparse --offset ${where[0]} --size ${where[1]} 2>/dev/null > piped.img"
  assert_success
  run ss_check "$F/nonab.img" piped.img work-piped pipe
  assert_success
}

@test "super to a pipe from a file: planned, the same image as to a file" {
  ext4-sparse -o file.img "$F/vab.img"
  run bash -c "ext4-sparse '$F/vab.img' | cat > planned.img"
  assert_success
  cmp file.img planned.img
}

@test "super --info: the split per logical partition" {
  run ext4-sparse --info -o s.img "$F/vab.img"
  assert_success
  assert_line --regexp '^ext4-sparse: super: LP 10\.2, 3 slots, 6 partitions; 3 with extents, in 4096-byte blocks:$'
  assert_line --regexp '^ext4-sparse:   \(metadata\) \(LP metadata\): 256 blocks, 256 used \(RAW [0-9]+, FILL [0-9]+\), DONT_CARE 0$'
  assert_line --regexp '^ext4-sparse:   system_a \(ext4\): 6144 blocks, [0-9]+ used \(RAW [0-9]+, FILL [0-9]+\), DONT_CARE [1-9][0-9]*$'
  assert_line --regexp '^ext4-sparse:   product_a \(erofs\): 512 blocks, 512 used \(RAW [0-9]+, FILL [0-9]+\), DONT_CARE 0$'
  assert_line --regexp '^ext4-sparse:   \(unallocated\) \(no extent\): [0-9]+ blocks, 0 used \(RAW 0, FILL 0\), DONT_CARE [0-9]+$'
  # system_a's used blocks: what dumpe2fs says the file system uses.
  local fs_used
  fs_used=$(( $(dumpe2fs -h "$F/vab.img.d/system_a.img" 2>/dev/null | sed -n 's/^Block count: *//p') -
              $(dumpe2fs -h "$F/vab.img.d/system_a.img" 2>/dev/null | sed -n 's/^Free blocks: *//p') ))
  assert_line --partial "system_a (ext4): 6144 blocks, $fs_used used"
}

@test "super --verify: ok, and a flipped RAW byte or a used block left out fails" {
  ext4-sparse -o s.img "$F/nonab.img"
  run ext4-sparse --verify s.img "$F/nonab.img"
  assert_success
  assert_line verified=ok
  # A byte of the first RAW chunk's data (the geometry, block 1 of super).
  cp s.img bad.img
  flip_byte bad.img $((28 + 12 + 4096 + 12 + 100)) 1
  run ext4-sparse --verify bad.img "$F/nonab.img"
  assert_failure 1
  assert_output --partial 'differs from the dump'
  # The geometry's block as DONT_CARE (an image written by sparse-plan.py, not by us) fails;
  # an unallocated block as DONT_CARE passes.
  python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" "$F/nonab.img" geo.img 1 1
  run ext4-sparse --verify geo.img "$F/nonab.img"
  assert_failure 1
  assert_output --partial 'skips used blocks'
  local last=$(( $(stat -c %s "$F/nonab.img") / 4096 - 1 ))
  python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" "$F/nonab.img" tail.img "$last" "$last"
  run ext4-sparse --verify tail.img "$F/nonab.img"
  assert_success
  # A free ext4 block of system (dumpe2fs, mapped through lpdump) as DONT_CARE passes; a used one fails.
  "$LP_BIN/lpdump" "$F/nonab.img" > lpdump.txt 2>/dev/null
  local free used
  read -r free _ < <(es_dump_free "$F/nonab.img.d/system.img" | tail -1 | python3 "$MTKFW_ROOT/tests/lib/lp-extents.py" lpdump.txt system)
  python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" "$F/nonab.img" free.img "$free" "$free"
  run ext4-sparse --verify free.img "$F/nonab.img"
  assert_success
  read -r used _ < <(echo "0 0" | python3 "$MTKFW_ROOT/tests/lib/lp-extents.py" lpdump.txt system)
  python3 "$MTKFW_ROOT/tests/lib/sparse-plan.py" "$F/nonab.img" used.img "$used" "$used"
  run ext4-sparse --verify used.img "$F/nonab.img"
  assert_failure 1
  assert_output --partial 'skips used blocks'
}

@test "super -d: expands our image as simg2img does" {
  ext4-sparse -o s.img "$F/multi.img"
  simg2img s.img theirs.img
  run ext4-sparse -d -o ours.img s.img
  assert_success
  cmp ours.img theirs.img
}

@test "super with both copies of its metadata damaged: error, --all-blocks hint, nothing written" {
  cp "$F/nonab.img" bad.img
  # Slot 0's header, primary (0x3000) and backup (0x3000 + 2 slots x 64 KiB): SHA-256 bytes.
  flip_byte bad.img $((0x3000 + 20)) 4
  flip_byte bad.img $((0x3000 + 2 * 65536 + 20)) 4
  run --separate-stderr ext4-sparse -o out.img bad.img
  assert_failure 1
  assert_output ''
  assert_equal "${stderr_lines[-1]}" "ext4-sparse: hint: use --all-blocks to copy every block instead"
  assert_file_not_exists out.img
  assert_no_output_left . out.img
  # --all-blocks then copies it.
  run ext4-sparse --all-blocks -o out.img bad.img
  assert_success
}

@test "super holding an ext4 that cannot be read: its extent kept whole, a warning" {
  cp -r "$F/nonab.img.d" damaged.img.d
  cp "$F/nonab.img" damaged.img
  "$LP_BIN/lpdump" damaged.img > lpdump.txt 2>/dev/null
  local first
  read -r first _ < <(echo "0 0" | python3 "$MTKFW_ROOT/tests/lib/lp-extents.py" lpdump.txt system)
  # An unknown INCOMPAT feature bit (0x80000000 of s_feature_incompat): still ext4 by its magic,
  # refused by the bitmap reader.  The same bit in the original, for the comparison.
  flip_byte damaged.img $((first * 4096 + 1024 + 0x60 + 3)) 1
  flip_byte damaged.img.d/system.img $((1024 + 0x60 + 3)) 1
  run --separate-stderr ext4-sparse -o s.img damaged.img
  assert_success
  assert_output ''
  [[ "$stderr" == "ext4-sparse: warning: "*"system"*"its extents are kept whole (every block written)" ]]
  # Whole: lpunpack gives the partition with its old data in the free blocks.
  simg2img s.img x
  mkdir unpacked
  "$LP_BIN/lpunpack" x unpacked >/dev/null 2>&1
  cmp damaged.img.d/system.img <(head -c "$(stat -c %s damaged.img.d/system.img)" unpacked/system.img)
}
