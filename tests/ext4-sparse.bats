#!/usr/bin/env bats
# ext4-sparse: file systems made by mke2fs -d, checked with simg2img, e2fsck, debugfs, dumpe2fs
# and img2simg (tests/lib/ext4-sparse.bash).

load test_helper
source "$MTKFW_ROOT/tests/lib/ext4-sparse.bash"

setup_file() {
  export TREE="$BATS_FILE_TMPDIR/tree"
  es_tree "$TREE"
}

setup() {
  cd "$BATS_TEST_TMPDIR"
}

# check_fs NAME SIZE MKE2FS-OPTIONS...: build, encode (file in, file out), check with the oracles.
check_fs() {
  local name=$1 size=$2
  shift 2
  es_mkfs "$name.img" "$size" "$TREE" "$@"
  run ext4-sparse -o "$name.simg" "$name.img"
  assert_success
  assert_output ''
  run es_check_image "$name.img" "$name.simg" "$TREE" "work-$name"
  assert_success
  # ext2simg writes every used block as RAW: ours is never larger than those bytes alone.
  local used bs
  bs=$(dumpe2fs -h "$name.img" 2>/dev/null | sed -n 's/^Block size: *//p')
  used=$(( $(dumpe2fs -h "$name.img" 2>/dev/null | sed -n 's/^Block count: *//p') -
           $(dumpe2fs -h "$name.img" 2>/dev/null | sed -n 's/^Free blocks: *//p') ))
  [ "$(stat -c %s "$name.simg")" -le $(( 28 + used * bs )) ]
}

@test "today's mke2fs defaults (flex_bg, 64bit, metadata_csum, BLOCK_UNINIT groups)" {
  check_fs defaults 48M -t ext4 -b 4096 -g 1024
  [ "$(dumpe2fs defaults.img 2>/dev/null | grep -c BLOCK_UNINIT)" -gt 0 ]
}

@test "make_ext4fs-like: no flex_bg, no 64bit, no metadata_csum, uninit_bg, short last group" {
  # 60 MiB in groups of 16 MiB: the last group is short.
  check_fs mk 60M -t ext4 -b 4096 -g 4096 -N 2048 -O ^flex_bg,^64bit,^metadata_csum,^huge_file,uninit_bg
  run dumpe2fs -h mk.img
  refute_output --partial flex_bg
  refute_output --partial 64bit
}

@test "1 KiB blocks" {
  check_fs k1 24M -t ext4 -b 1024
  run ext4-sparse --info -o k1b.simg k1.img
  assert_output --partial '1024-byte blocks'
}

@test "2 KiB blocks, ext3" {
  check_fs e3 20M -t ext3 -b 2048
}

@test "ext2 (no journal, no checksums)" {
  check_fs e2 24M -t ext2 -b 4096 -g 2048
}

@test "meta_bg with several meta groups and BLOCK_UNINIT groups" {
  check_fs mb 32M -t ext4 -b 1024 -g 1024 -O meta_bg,^resize_inode
  [ "$(dumpe2fs mb.img 2>/dev/null | grep -c BLOCK_UNINIT)" -gt 0 ]
}

@test "sparse_super2 and no sparse_super" {
  check_fs ss2 24M -t ext4 -b 4096 -g 1024 -O sparse_super2
  check_fs nss 24M -t ext4 -b 4096 -g 1024 -O ^sparse_super,^resize_inode
}

@test "used blocks holding a 4-byte pattern become FILL, free blocks DONT_CARE, size covers the partition" {
  es_mkfs p.img 40M "$TREE" -t ext4 -b 4096
  run ext4-sparse --info -o p.simg p.img
  assert_success
  assert_output --regexp 'FILL [1-9][0-9]* chunks'
  assert_output --regexp 'DONT_CARE [1-9][0-9]* chunks'
  assert_output --partial "$(( 40 * 1024 * 1024 / 4096 )) blocks (40.0 MiB)"
  # total_blks x blk_sz = the partition size.
  [ $(( $(od -An -tu4 -j 16 -N 4 p.simg) * $(od -An -tu4 -j 12 -N 4 p.simg) )) -eq $(( 40 * 1024 * 1024 )) ]
  # No CRC32 chunk anywhere, no chunk of 4 GiB.
  run ext4-sparse -d --info -o /dev/null p.simg
  refute_output --partial CRC32
}

@test "free blocks holding deleted data are skipped; smaller than img2simg" {
  mkdir secret
  yes 'DELETED-SECRET-0123456789abcdef' | head -c $((6 * 1024 * 1024)) > secret/old.txt
  cp -r "$TREE" secret/tree
  es_mkfs phone.img 48M secret -t ext4
  debugfs -w -R "rm /old.txt" phone.img 2>/dev/null
  grep -q DELETED-SECRET phone.img            # the old data is still in free blocks
  rm secret/old.txt
  run ext4-sparse -o phone.simg phone.img
  assert_success
  run grep -c DELETED-SECRET phone.simg
  assert_output 0
  run es_check_image phone.img phone.simg secret work
  assert_success
  img2simg phone.img ref.simg
  [ "$(stat -c %s phone.simg)" -le "$(stat -c %s ref.simg)" ]
  [ "$(stat -c %s phone.simg)" -lt $(( $(stat -c %s ref.simg) - 5 * 1024 * 1024 )) ]
}

@test "size against img2simg on fresh file systems: at most one header per free run more" {
  # img2simg reads free blocks too; when they are zero it folds them into a neighbouring FILL
  # chunk, where we keep them DONT_CARE (skipped by the flasher): the only way to lose, by at
  # most 28 bytes (a DONT_CARE header plus a split FILL) per free run.
  for opts in "-t ext4" "-t ext4 -b 4096 -O ^flex_bg,^64bit,^metadata_csum,uninit_bg" "-t ext2"; do
    es_mkfs f.img 40M "$TREE" $opts
    ext4-sparse -o f.simg f.img
    img2simg f.img ref.simg
    runs=$(es_dont_care f.simg | wc -l)
    [ "$(stat -c %s f.simg)" -le $(( $(stat -c %s ref.simg) + 28 * runs )) ]
  done
}

@test "pipes: stdin and stdout give the same image as files" {
  es_mkfs s.img 32M "$TREE" -t ext4
  ext4-sparse -o file.simg s.img
  ext4-sparse < s.img > redirected.simg           # regular file on stdout: patched in place
  cmp file.simg redirected.simg
  cat s.img | ext4-sparse | cat > pipe-pipe.simg  # spooled to $TMPDIR
  cmp file.simg pipe-pipe.simg
  mkdir spool
  cat s.img | TMPDIR=$PWD/spool ext4-sparse | cat > spooled.simg
  cmp file.simg spooled.simg
  run bash -c 'set -o pipefail; cat s.img | TMPDIR=/nonexistent ext4-sparse | cat > /dev/null'
  assert_failure 3
  assert_output --partial 'temporary file in /nonexistent'
  [ -z "$(ls -A spool)" ]                         # the scratch file leaves nothing behind
  ext4-sparse s.img | cat > planned.simg          # seekable in, pipe out: planned first
  cmp file.simg planned.simg
  cat s.img | ext4-sparse -o pipe-in.simg
  cmp file.simg pipe-in.simg
  simg2img file.simg exp.img
  ext4-sparse -d < file.simg | cmp - exp.img
}

@test "pipes work for 1 KiB blocks and meta_bg too (bitmaps found on the way)" {
  es_mkfs m.img 24M "$TREE" -t ext4 -b 1024 -g 1024 -O meta_bg,^resize_inode
  ext4-sparse -o file.simg m.img
  cat m.img | ext4-sparse -o pipe.simg
  cmp file.simg pipe.simg
}

@test "pipe: a bitmap stored after its blocks; the look-ahead fills, blocks are kept, nothing lost" {
  es_mkfs late.img 48M "$TREE" -t ext2 -b 4096
  es_late_bitmap late.img
  e2fsck -fn late.img > /dev/null                 # still a clean file system
  ext4-sparse -o file.simg late.img              # seekable: exact
  run es_check_image late.img file.simg "$TREE" work1
  assert_success
  run bash -c 'cat late.img | ext4-sparse -o pipe.simg'
  assert_success
  assert_output --partial 'warning: standard input: block bitmap of group 0 comes too late'
  run es_check_consumers late.img pipe.simg "$TREE" work2
  assert_success
  # Only what the 32 MiB look-ahead (8192 blocks) could not hold was kept, give or take one
  # 4 MiB read: free blocks after that are DONT_CARE again.
  read -r first last < <(es_dont_care pipe.simg | tail -1)
  [ "$last" -eq 12286 ] && [ "$first" -le $(( 12288 - 8192 + 1024 )) ]
}

@test "--offset/--size read the file system straight out of a USER dump" {
  mtk_dump User
  local start=$((16384 * 512)) size=$(((57344 - 16384) * 512))
  mke2fs -q -F -t ext4 -b 4096 -E offset=$start -L system -d "$TREE" User $((size / 4096))
  # Old data after the file system inside the dump must not leak either.
  run ext4-sparse --offset $start --size $size --info -o system.img User
  assert_success
  assert_output --partial "file system 'system'"
  dd if=User of=system.raw bs=512 skip=16384 count=$((57344 - 16384)) status=none
  ext4-sparse -o direct.img system.raw
  cmp system.img direct.img
  run es_check_image system.raw system.img "$TREE" work
  assert_success
  e2fsck -fn "User?offset=$start" > /dev/null
  # From a pipe too, with K/M suffixes.
  cat User | ext4-sparse --offset 8M --size 20M -o piped.img
  cmp system.img piped.img
}

@test "64-bit offsets: a file system 17 GiB into a 20 GiB dump (a sparse file)" {
  truncate -s 20G big.dump
  local at=$((17 * 1024 * 1024 * 1024))
  mke2fs -q -F -t ext4 -b 4096 -E offset=$at,lazy_itable_init=1,nodiscard -L data -d "$TREE" big.dump 262144
  run ext4-sparse --offset 17G --size 1G -o big.simg big.dump
  assert_success
  diff <(es_dump_free "big.dump?offset=$at") <(es_dont_care big.simg 262144)
  simg2img big.simg big.exp
  [ "$(stat -c %s big.exp)" -eq $((1024 * 1024 * 1024)) ]
  e2fsck -fn big.exp > /dev/null
  mkdir rdump && debugfs -R "rdump / rdump" big.exp > /dev/null 2>&1
  diff <(es_files_md5 "$TREE") <(es_files_md5 rdump)
  run ext4-sparse --verify big.simg --offset 17G --size 1G big.dump
  assert_success
}

@test "--all-blocks: any data; zero and pattern runs FILL, holes DONT_CARE" {
  head -c 1M /dev/urandom > any.bin
  head -c 1M /dev/zero >> any.bin
  yes abc | head -c 1M >> any.bin
  truncate -s 8M any.bin                        # a hole at the end
  run ext4-sparse --all-blocks --info -o any.simg any.bin
  assert_success
  assert_output --partial 'DONT_CARE 1 chunks, 1280 blocks'
  assert_output --partial 'FILL 2 chunks, 512 blocks'
  # A size that is not a multiple of 4096: smaller blocks, nothing of the tail lost.
  head -c 1000000 /dev/urandom > odd.bin
  truncate -s 1049088 odd.bin
  run ext4-sparse --all-blocks --info -o odd.simg odd.bin
  assert_output --partial '512-byte blocks, 2049 blocks'
  simg2img odd.simg odd.back
  cmp odd.bin odd.back
  simg2img any.simg back.bin
  cmp any.bin back.bin
  cat any.bin | ext4-sparse --all-blocks | cat > piped.simg
  simg2img piped.simg back2.bin
  cmp any.bin back2.bin
  img2simg any.bin ref.simg
  [ "$(stat -c %s any.simg)" -le "$(stat -c %s ref.simg)" ]
}

@test "RAW chunks are split at 64 MiB" {
  head -c 70M /dev/urandom > big.bin
  run ext4-sparse --all-blocks --info -o big.simg big.bin
  assert_output --partial 'RAW 2 chunks, 17920 blocks'
  # First chunk: 16384 blocks (64 MiB).
  [ "$(od -An -tu4 -j 32 -N 4 big.simg | tr -d ' ')" -eq 16384 ]
  simg2img big.simg back.bin
  cmp big.bin back.bin
}

@test "-d writes DONT_CARE as holes and equals simg2img" {
  es_mkfs h.img 40M "$TREE" -t ext4
  ext4-sparse -o h.simg h.img
  ext4-sparse -d -o h.raw h.simg
  simg2img h.simg ref.raw
  cmp h.raw ref.raw
  # A hole-y output: far fewer blocks on disk than its length.
  [ $(( $(stat -c %b h.raw) * 512 )) -lt $(( 20 * 1024 * 1024 )) ]
  # img2simg output (FILL chunks) decodes too.
  img2simg h.img i.simg
  ext4-sparse -d -o i.raw i.simg
  cmp i.raw h.img
}

@test "-d accepts what simg2img accepts: larger header sizes, a higher minor version" {
  # file_hdr_sz 32, chunk_hdr_sz 16, minor version 5, 1 KiB blocks: RAW, FILL, DONT_CARE.
  { printf '\x3a\xff\x26\xed\x01\x00\x05\x00\x20\x00\x10\x00\x00\x04\x00\x00\x03\x00\x00\x00'
    printf '\x03\x00\x00\x00\x00\x00\x00\x00PADD'
    printf '\xc1\xca\x00\x00\x01\x00\x00\x00\x10\x04\x00\x00XXXX'; head -c 1024 /dev/urandom
    printf '\xc2\xca\x00\x00\x01\x00\x00\x00\x14\x00\x00\x00YYYY\x01\x02\x03\x04'
    printf '\xc3\xca\x00\x00\x01\x00\x00\x00\x10\x00\x00\x00ZZZZ'; } > wide.simg
  simg2img wide.simg ref.raw
  ext4-sparse -d -o ours.raw wide.simg
  cmp ours.raw ref.raw
  [ "$(stat -c %s ours.raw)" -eq 3072 ]
}

@test "-d checks CRC32 chunks" {
  # A RAW block of 4 bytes x 1024 and a CRC32 chunk with zlib's crc32 of it.
  printf '\x3a\xff\x26\xed\x01\x00\x00\x00\x1c\x00\x0c\x00\x00\x10\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00' > c.simg
  printf '\xc1\xca\x00\x00\x01\x00\x00\x00\x0c\x10\x00\x00' >> c.simg
  head -c 4096 /dev/zero >> c.simg
  # crc32 of 4096 zero bytes is 0xc71c0011.
  cp c.simg bad.simg
  printf '\xc4\xca\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x11\x00\x1c\xc7' >> c.simg
  run ext4-sparse -d -o c.raw c.simg
  assert_success
  printf '\xc4\xca\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x12\x00\x1c\xc7' >> bad.simg
  run ext4-sparse -d -o bad.raw bad.simg
  assert_failure 1
  assert_output --partial 'chunk 2 at byte 4136: CRC32 mismatch'
  assert_no_output_left . bad.raw
}

@test "--verify proves an image against its partition, ours and img2simg's; a flipped byte fails" {
  es_mkfs v.img 24M "$TREE" -t ext4 -b 4096
  ext4-sparse -o v.simg v.img
  run ext4-sparse --verify v.simg v.img
  assert_success
  assert_line verified=ok
  assert_line blocks=6144
  img2simg v.img i.simg
  run ext4-sparse --verify i.simg v.img
  assert_success
  cp v.simg flip.simg
  flip_byte flip.simg 5000
  run ext4-sparse --verify flip.simg v.img
  assert_failure 1
  assert_output --partial 'flip.simg: chunk 1 at byte 28'
}

@test "--verify -o FILE: the summary goes to FILE (atomically), nothing on stdout; -o onto an input is refused" {
  es_mkfs v.img 16M "$TREE" -t ext4 -b 4096
  ext4-sparse -o v.simg v.img
  run --separate-stderr ext4-sparse --verify v.simg -o v.verify v.img
  assert_success
  assert_output ''
  run cat v.verify
  assert_line verified=ok
  assert_line blocks=4096
  ext4-sparse --verify v.simg v.img | cmp - v.verify
  flip_byte v.simg 5000
  run ext4-sparse --verify v.simg -o bad.verify v.img
  assert_failure 1
  assert_no_output_left . bad.verify
  run ext4-sparse --verify v.simg -o v.img v.img
  assert_failure 2
  assert_output --partial 'same file as the input'
}

@test "--verify --record: the digests of the image it proves, equal to fw-checksum --record's read; a failed proof leaves none" {
  es_mkfs r.img 16M "$TREE" -t ext4 -b 4096
  ext4-sparse -o r.simg r.img
  ext4-sparse -q --verify r.simg --record r.digests --md5 -o r.verify r.img
  fw-checksum --record --md5 r.simg | cmp - r.digests
  grep -q "^bytes=$(stat -c %s r.simg)$" r.digests
  ext4-sparse -q --verify r.simg --record plain.digests -o r.verify r.img   # no --md5: no MD5
  run grep -c '^md5=' plain.digests
  assert_output 0
  # Bytes after the last chunk are digested too: the record is of the whole file.
  cp r.simg tail.simg; head -c 100000 /dev/urandom >> tail.simg
  ext4-sparse -q --verify tail.simg --record tail.digests -o t.verify r.img
  fw-checksum --record tail.simg | cmp - tail.digests
  flip_byte r.simg 5000
  run ext4-sparse -q --verify r.simg --record bad.digests -o bad.verify r.img
  assert_failure 1
  assert_no_output_left . bad.digests
  run ext4-sparse --record x.digests r.img
  assert_failure 2
  assert_output --partial "ext4-sparse: error: --record: goes with --verify"
  run ext4-sparse --verify r.simg --md5 r.img
  assert_failure 2
  assert_output --partial "ext4-sparse: error: --md5: goes with --record"
}

@test "data after the last chunk: -d and --verify both read the image as libsparse does, with a warning" {
  es_mkfs t.img 16M "$TREE" -t ext4 -b 4096
  ext4-sparse -o t.simg t.img
  size=$(stat -c %s t.simg)
  cp t.simg tail.simg
  printf 'junk' >> tail.simg
  run ext4-sparse -d -o back.img tail.simg
  assert_success
  assert_output "ext4-sparse: warning: tail.simg: data after the last chunk (byte $size on) ignored"
  cmp back.img t.img
  run --separate-stderr ext4-sparse --verify tail.simg t.img
  assert_success
  assert_line verified=ok
  [ "$stderr" = "ext4-sparse: warning: tail.simg: data after the last chunk (byte $size on) ignored" ]
  simg2img tail.simg s2i.img && cmp s2i.img t.img   # the reference reader ignores it too
}

@test "--verify: DONT_CARE over free blocks passes; one used block more, at either end, fails" {
  es_mkfs d.img 24M "$TREE" -t ext4 -b 4096 -g 1024   # six groups: free runs between used ones
  read -r a b < <(es_dump_free d.img | awk '$1 > 0 && $2 < 6143' | head -1)   # a-1 and b+1 are used
  es_plan_image d.img exact.simg "$a" "$b"
  run ext4-sparse --verify exact.simg d.img
  assert_success
  simg2img exact.simg back.img && e2fsck -fn back.img >/dev/null 2>&1
  for range in "$a $((b + 1))" "$((a - 1)) $b" "$((a + 1)) $((b + 1))"; do
    es_plan_image d.img over.simg $range
    run ext4-sparse --verify over.simg d.img
    assert_failure 1
    assert_output --partial '(DONT_CARE): skips used blocks'
  done
}

@test "bad input: not ext4, truncated, blocks past the end, corrupt descriptor, unknown feature" {
  head -c 4M /dev/urandom > junk.bin
  run ext4-sparse -o out.simg junk.bin
  assert_failure 1
  assert_output --partial 'ext4-sparse: error: junk.bin: not an ext2/3/4 file system'
  assert_no_output_left . out.simg

  es_mkfs t.img 32M "$TREE" -t ext4 -b 4096
  head -c 20M t.img > half.img
  run ext4-sparse -o out.simg half.img
  assert_failure 1
  assert_output --partial 'blocks count past the end of the input'
  assert_no_output_left . out.simg
  run bash -c 'cat half.img | ext4-sparse > out.simg'
  assert_failure 1
  assert_output --partial 'blocks count past the end of the input'
  run ext4-sparse --size 16M -o out.simg t.img
  assert_failure 1
  assert_output --partial 'blocks count past the end of the input'
  run ext4-sparse --offset 1M --size 40M -o out.simg t.img
  assert_failure 1
  assert_output --partial 'truncated'

  cp t.img desc.img                               # group 0's block bitmap far past the end
  poke32 desc.img 4096 268435455
  run ext4-sparse -o out.simg desc.img
  assert_failure 1
  assert_output --partial 'group 0: corrupt descriptor: block bitmap at block 268435455'
  run bash -c 'cat desc.img | ext4-sparse -o out.simg'
  assert_failure 1
  assert_output --partial 'corrupt descriptor'

  cp t.img feat.img                               # an INCOMPAT bit nobody knows
  printf '\x40' | dd of=feat.img bs=1 seek=$((1024 + 0x63)) conv=notrunc status=none
  run ext4-sparse -o out.simg feat.img
  assert_failure 1
  assert_output --partial 'unsupported INCOMPAT feature'
  assert_line 'ext4-sparse: hint: use --all-blocks to copy every block instead'
  run ext4-sparse --all-blocks -o out.simg feat.img
  assert_success
}

@test "bad sparse input for -d: bad magic, lying chunk size, unknown chunk type, short last chunk" {
  es_mkfs t.img 16M "$TREE" -t ext4
  ext4-sparse -o t.simg t.img
  run ext4-sparse -d -o out.raw t.img
  assert_failure 1
  assert_output --partial 'not a sparse image'

  cp t.simg lie.simg                              # first chunk (at byte 28): total_sz + 4096
  poke32 lie.simg 36 $(( $(od -An -tu4 -j 36 -N 4 t.simg) + 4096 ))
  run ext4-sparse -d -o out.raw lie.simg
  assert_failure 1
  assert_output --partial 'chunk 1 at byte 28'
  assert_output --partial 'expected'
  assert_no_output_left . out.raw

  cp t.simg type.simg
  printf '\xc9\xca' | dd of=type.simg bs=1 seek=28 conv=notrunc status=none
  run ext4-sparse -d -o out.raw type.simg
  assert_failure 1
  assert_output --partial 'chunk 1 at byte 28: unknown chunk type 0xcac9'

  head -c $(( $(stat -c %s t.simg) - 100 )) t.simg > short.simg
  run ext4-sparse -d -o out.raw short.simg
  assert_failure 1
  assert_output --regexp 'chunk [0-9]+ at byte [0-9]+: truncated'
  assert_no_output_left . out.raw
  run bash -c 'ext4-sparse -d < short.simg > /dev/null'
  assert_failure 1
}

@test "usage: bad options; --progress and -q together" {
  run ext4-sparse --offset 12x /dev/null
  assert_failure 2
  assert_output --partial -- '--offset'
  run ext4-sparse -d --offset 1 /dev/null
  assert_failure 2
  es_mkfs t.img 16M "$TREE" -t ext2
  run ext4-sparse --progress -q -o t.simg t.img
  assert_success
}

# es_gpt_dump FILE: a 64 MiB dump (sgdisk) whose system partition (sectors 16384..57343, 20 MiB)
# holds a 12 MiB ext4 file system (mke2fs), followed by userdata: a file system smaller than both
# its partition and the rest of the dump.
es_gpt_dump() {
  truncate -s $(( (64 << 20) - 524288 + 33 * 512 )) "$1"
  sgdisk -o -a 1 -n 1:16384:57343 -c 1:system -n 2:57344:126975 -c 2:userdata "$1" >/dev/null
  truncate -s $(( 64 << 20 )) "$1"
  mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -E "offset=$(( 16384 * 512 )),nodiscard" "$1" 3072
}

@test "--offset without --size on a file system smaller than the rest of the dump: refused, saying what --size to give" {
  es_gpt_dump User
  local rest=$(( (64 << 20) - 16384 * 512 ))
  ext4-sparse --offset 8M --size 20M -o system.simg User
  for verify in "" "--verify system.simg"; do
    # shellcheck disable=SC2086
    run --separate-stderr ext4-sparse $verify --offset 8M -o out.simg User
    assert_failure 2
    assert_equal "$stderr" "ext4-sparse: error: --offset 8388608: the file system there is 12582912 bytes, but without --size the image would cover all $rest bytes to the end of User (the partitions after it too); give --size 20971520, the length of partition system in its GPT"
    assert_file_not_exists out.simg
  done
  # Without a GPT to ask, the message says where the length is.
  dd if=User of=nogpt bs=1M count=40 status=none
  dd if=/dev/zero of=nogpt bs=512 count=34 conv=notrunc status=none
  run --separate-stderr ext4-sparse --offset 8M -o out.simg nogpt
  assert_failure 2
  assert_equal "$stderr" "ext4-sparse: error: --offset 8388608: the file system there is 12582912 bytes, but without --size the image would cover all $(( (32 << 20) )) bytes to the end of nogpt (the partitions after it too); give --size BYTES, the partition's length in bytes (the size column of gpt-list --tsv)"
  # From a pipe the input's end is unknown until the image is written: --size is needed up front.
  run --separate-stderr bash -c 'cat User | ext4-sparse --offset 8M > out.simg'
  assert_failure 2
  assert_equal "$stderr" "ext4-sparse: error: --offset 8388608: from a pipe the end of the input is not known before the image is written, so the image could cover the partitions after the file system too; give --size BYTES, the partition's length in bytes (the size column of gpt-list --tsv)"
  # A file system that reaches the end of the input needs no --size.
  dd if=User of=tail bs=1M skip=8 count=12 status=none
  run --separate-stderr ext4-sparse --offset 0 -o out.simg tail
  assert_success
  assert_equal "$stderr" ""
}

@test "--size larger than the file system: a warning saying what the image covers, none when --size is the GPT partition's" {
  es_gpt_dump User
  # The partition's own length: a partition longer than its file system is normal (no warning).
  run --separate-stderr ext4-sparse --offset 8M --size 20M -o system.simg User
  assert_success
  assert_equal "$stderr" ""
  simg2img system.simg system.raw
  [ "$(stat -c %s system.raw)" -eq $(( 20 << 20 )) ]
  cmp -n $(( 12 << 20 )) system.raw <(dd if=User bs=1M skip=8 count=12 status=none)
  # Longer than the partition: the image would be larger than it.
  run --separate-stderr ext4-sparse --offset 8M --size 24M -o big.simg User
  assert_success
  assert_equal "$stderr" "ext4-sparse: warning: --size 25165824 is 12582912 bytes more than the file system at --offset 8388608 (12582912 bytes): the image covers all 25165824 bytes, the 12582912 past the file system as DONT_CARE (a flasher leaves them as they are); partition system is 20971520 bytes in the GPT: the image is larger than the partition"
  simg2img big.simg big.raw
  [ "$(stat -c %s big.raw)" -eq $(( 24 << 20 )) ]
  # No GPT at all: where to check.
  dd if=User of=nogpt bs=1M count=40 status=none
  dd if=/dev/zero of=nogpt bs=512 count=34 conv=notrunc status=none
  run --separate-stderr ext4-sparse --offset 8M --size 16M -o out.simg nogpt
  assert_success
  assert_equal "$stderr" "ext4-sparse: warning: --size 16777216 is 4194304 bytes more than the file system at --offset 8388608 (12582912 bytes): the image covers all 16777216 bytes, the 4194304 past the file system as DONT_CARE (a flasher leaves them as they are); if the partition is shorter than 16777216 bytes, the image is larger than the partition (its length: the size column of gpt-list --tsv)"
}
