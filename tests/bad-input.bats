#!/usr/bin/env bats
# The bad-input catalogue: for each tool, every class of bad input - empty pipe,
# unreadable file, truncation at each header boundary, wrong magic, lying sizes and counts,
# offsets past 2^63, output to a closed pipe (the cases every tool shares - empty file, directory,
# missing file, /dev/full, its own input - are the table of tests/cli.bats).  Each case
# checks the exit status and "TOOL: error: " message of doc/CLI.md, that no output file is left, and
# that the inputs are unchanged (tests/lib/bad-input.bash: refused, closed_pipe).

load test_helper
source "$MTKFW_ROOT/tests/lib/bad-input.bash"
source "$MTKFW_ROOT/tests/lib/bl-strip.bash"
source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"

setup_file() {
  load test_helper
  mtk_dump "$BATS_FILE_TMPDIR/User"
  head -c 393216 /dev/urandom | dd of="$BATS_FILE_TMPDIR/User" bs=512 seek=4608 conv=notrunc status=none
}

setup() {
  IN=$BATS_TEST_TMPDIR/in
  OUT=$BATS_TEST_TMPDIR/out
  mkdir -p "$IN" "$OUT"
  : > "$IN/empty"
  mkdir "$IN/folder"
  # A folder other users can enter (bats' own temporary folders are root-only), for files that
  # must be unreadable to the tool while their neighbours are readable.
  PUB=$(mktemp -d /tmp/mtkfw-bad-input.XXXXXX)
  chmod 755 "$PUB"
}

teardown() {
  rm -rf "$PUB"
}

# A MediaTek-like USER dump whose lk partition (LBA 4608, 768 sectors) holds random bytes.
user_dump() {
  cp --sparse=always "$BATS_FILE_TMPDIR/User" "$IN/User"
}

# --- gpt-list -----------------------------------------------------------------------------

@test "gpt-list: an empty pipe, an unreadable file" {
  : | refused 1 'no valid GPT' gpt-list
  unreadable_file "$PUB/locked/User"
  refused 3 'locked/User: Permission denied' --unprivileged gpt-list "$PUB/locked/User"
}

@test "gpt-list: truncation at each GPT boundary (MBR, header, entries, backup)" {
  user_dump
  for cut in 0 511 512 600 1023 1024 $((1024 + 8192)); do
    head -c "$cut" "$IN/User" > "$IN/cut"
    refused 1 'no valid GPT|truncated|empty' gpt-list "$IN/cut"
    cat "$IN/cut" | refused 1 'no valid GPT|truncated' gpt-list
  done
  # With the primary whole, a truncated readback is listed (a PGPT-only readback), with a warning.
  for cut in $((34 * 512)) $((128000 * 512)); do
    head -c "$cut" "$IN/User" > "$IN/cut"
    run --separate-stderr gpt-list "$IN/cut"
    assert_success
    [[ "$stderr" == *"truncated readback: "*"partitions past its end: "*"flashinfo"* ]]
  done
  [[ "$stderr" =~ "partitions past its end: flashinfo (missing "[0-9]+" of 1548288 bytes)" ]]
}

@test "gpt-list: wrong magic in both headers, lying entry counts and sizes" {
  user_dump
  cp "$IN/User" "$IN/magic"
  poke "$IN/magic" 512 58
  backup=$(( $(gpt_backup_lba "$IN/User") * 512 ))
  poke "$IN/magic" "$backup" 58
  refused 1 'no valid GPT' gpt-list "$IN/magic"
  for lie in "entry_count 100000" "entry_count 0" "entry_size 0" "entry_size 129" "entry_size 0x80000000" \
             "entries_lba 1" "entries_lba 0x7fffffffffffffff" "first_usable 200000" "alternate_lba 0xffffffffffffffff"; do
    cp "$IN/User" "$IN/lie"
    gpt_lie "$IN/lie" $lie
    refused 1 'no valid GPT' gpt-list "$IN/lie"
  done
}

@test "gpt-list: a partition past the end of the dump and offsets past 2^63 are flagged, never wrapped" {
  user_dump
  cp "$IN/User" "$IN/lie"
  gpt_lie "$IN/lie" 9.last 200000       # userdata runs past the 64 MiB dump
  run --separate-stderr gpt-list --tsv "$IN/lie"
  assert_success
  [[ "$stderr" =~ "gpt-list: warning: $IN/lie: partition 9 (userdata) lies outside the usable area" ]]
  cp "$IN/User" "$IN/lie"
  gpt_lie "$IN/lie" 9.first 0x40000000000000   # 2^54 sectors: byte offset 2^63
  gpt_lie "$IN/lie" 9.last 0x40000000000010
  run --separate-stderr gpt-list --tsv "$IN/lie"
  assert_success
  assert_line --partial $'9\tuserdata\t9223372036854775808\t8704\tmissing'
  cp "$IN/User" "$IN/lie"
  gpt_lie "$IN/lie" 9.last 0xffffffffffffffff   # sector x 512 overflows 64 bits
  refused 1 'entry 9 has an invalid range' gpt-list "$IN/lie"
}

@test "gpt-list: output to a closed pipe" {
  user_dump
  closed_pipe none gpt-list --json "$IN/User"
}

# --- part-cut -----------------------------------------------------------------------------

@test "part-cut: a range of an empty file, an unreadable file" {
  refused 1 'past the end|truncated|ends at' part-cut -o "$OUT/x" --offset 0 --size 1 "$IN/empty"
  unreadable_file "$PUB/locked/User"
  refused 3 'Permission denied' --unprivileged part-cut --offset 0 --size 1 -o /dev/null "$PUB/locked/User"
}

@test "part-cut: a dump cut inside a partition, at the GPT, and a lying partition end" {
  user_dump
  head -c $((4608 * 512 + 1000)) "$IN/User" > "$IN/cut"   # inside lk
  refused 1 'lk.*missing' part-cut -o "$OUT/lk.img" "$IN/cut" lk
  head -c 1024 "$IN/User" > "$IN/hdr"
  refused 1 'no valid GPT' part-cut -o "$OUT/lk.img" "$IN/hdr" lk
  cp "$IN/User" "$IN/lie"
  gpt_lie "$IN/lie" 9.last 200000
  refused 1 'userdata.*missing' part-cut -o "$OUT/ud.img" "$IN/lie" userdata
  cp "$IN/User" "$IN/lie"
  gpt_lie "$IN/lie" 9.first 0x40000000000000
  gpt_lie "$IN/lie" 9.last 0x40000000000010
  refused 1 'missing|past the end' part-cut -o "$OUT/ud.img" "$IN/lie" userdata
}

@test "part-cut: ranges past the end, past 2^63 and overflowing 64 bits" {
  user_dump
  refused 1 'missing|past the end' part-cut -o "$OUT/x" --offset 64M --size 1 "$IN/User"
  refused 1 'missing|past the end' part-cut -o "$OUT/x" --offset 0x8000000000000000 --size 512 "$IN/User"
  refused 2 'offset \+ size is larger than 64 bits' part-cut -o "$OUT/x" --offset 0xffffffffffffff00 --size 0x200 "$IN/User"
  refused 2 'too large' part-cut -o "$OUT/x" --offset 0 --size 18446744073709551616 "$IN/User"
  cat "$IN/User" | refused 1 'truncated|missing|ends at' part-cut -o "$OUT/x" --offset 63M --size 2M
  cat "$IN/User" | refused 1 'truncated|missing|ends at|past' part-cut -o "$OUT/x" --offset 0x8000000000000000 --size 1
}

@test "part-cut: output to a closed pipe (head -c1)" {
  user_dump
  closed_pipe 'head -c1' part-cut "$IN/User" lk
  closed_pipe 'head -c1' part-cut --offset 0 --size 8M "$IN/User"
}

# --- bl-strip -----------------------------------------------------------------------------
# boot1_image (tests/lib/bl-strip.bash): EMMC_BOOT header at 0, BRLYT at 0x200, GFH image at
# 0x800: FILE_INFO 0x800..0x838, three more GFH blocks, content_offset 0x8b4, file_len below.

boot1() {  # [boot1_image options]: $IN/Boot1 and $BATS_TEST_TMPDIR/expected
  boot1_image "$IN/Boot1" "$BATS_TEST_TMPDIR/expected" "$@"
  FILE_LEN=$(stat -c %s "$BATS_TEST_TMPDIR/expected")
}

@test "bl-strip: an empty pipe, an unreadable file" {
  : | refused 1 'empty' bl-strip -o "$OUT/pl.bin"
  unreadable_file "$PUB/locked/Boot1"
  refused 3 'Permission denied' --unprivileged bl-strip -o /dev/null "$PUB/locked/Boot1"
}

@test "bl-strip: truncation at each header boundary, from a file and from a pipe" {
  boot1
  for cut in 1 0x10 0x14 0x200 0x214 0x228 0x800 0x806 0x838 0x840 0x8b0 0x8b4 $((0x800 + FILE_LEN - 33)) $((0x800 + FILE_LEN - 1)); do
    head -c $((cut)) "$IN/Boot1" > "$IN/cut"
    refused 1 'truncated|not a BOOT1|GFH|past|ends' bl-strip -o "$OUT/pl.bin" "$IN/cut"
    cat "$IN/cut" | refused 1 'truncated|not a BOOT1|GFH|past|ends' bl-strip -o "$OUT/pl.bin"
  done
}

@test "bl-strip: wrong magic in the device header, BRLYT and GFH" {
  boot1
  cp "$IN/Boot1" "$IN/magic"
  poke "$IN/magic" 0x800 58               # "XMM": no GFH FILE_INFO where the BRLYT points
  refused 1 'FILE_INFO|GFH' bl-strip -o "$OUT/pl.bin" "$IN/magic"
  cp "$IN/Boot1" "$IN/magic"
  poke "$IN/magic" 0x808 58               # identifier "XILE_INFO"
  refused 1 'FILE_INFO|GFH' bl-strip -o "$OUT/pl.bin" "$IN/magic"
  cp "$IN/Boot1" "$IN/magic"
  poke "$IN/magic" 0 58                    # "XMMC_BOOT" and a BRLYT: no device header
  poke "$IN/magic" 0x200 58                # "XRLYT"
  poke "$IN/magic" 0x800 58
  refused 1 'not a BOOT1 readback' bl-strip -o "$OUT/pl.bin" "$IN/magic"
}

@test "bl-strip: lying file_len, max_size, content_offset, sig_len and BRLYT offsets" {
  boot1
  # file_len (0x820) past the input, at 2^32-1, larger than max_size (0x824); content_offset
  # (0x828) past file_len; sig_len (0x82c) larger than file_len; the BRLYT descriptor's begin
  # (0x21c) past the input, near 2^32, inside the header.
  for lie in "0x820 0x800000 0x824 0x800000" "0x820 0xffffffff" "0x824 0x100" "0x828 0x7fffffff" \
             "0x82c 0xfffffff0" "0x21c 0x7fffffff" "0x21c 0xfffffe00" "0x21c 0x40"; do
    cp "$IN/Boot1" "$IN/lie"
    set -- $lie
    while [ $# -gt 0 ]; do poke32 "$IN/lie" "$1" "$2"; shift 2; done
    refused 1 'truncated|larger than|past|content_offset|sig_len|inside the header' bl-strip -o "$OUT/pl.bin" "$IN/lie"
  done
  # file_len past a pipe's end: detected when the pipe ends, nothing written.
  cp "$IN/Boot1" "$IN/lie"
  poke32 "$IN/lie" 0x820 0x400000
  poke32 "$IN/lie" 0x824 0x400000
  cat "$IN/lie" | refused 1 'truncated|past|ends' bl-strip -o "$OUT/pl.bin"
}

@test "bl-strip: output to a closed pipe (head -c1)" {
  boot1 --body 1000000
  closed_pipe 'head -c1' bl-strip "$IN/Boot1"
}

# --- scatter-gen --------------------------------------------------------------------------

table() {  # the gpt-list --tsv view of the USER dump in $IN/table.tsv
  user_dump
  gpt-list -q --tsv "$IN/User" > "$IN/table.tsv"
  rm "$IN/User"
}

@test "scatter-gen: an empty pipe, an unreadable file" {
  : | refused 1 'empty' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt"
  unreadable_file "$PUB/locked/table.tsv"
  refused 3 'Permission denied' --unprivileged scatter-gen --platform MT6752 --project p -o /dev/null "$PUB/locked/table.tsv"
}

@test "scatter-gen: truncated tables, wrong magic, a scatter file cut short" {
  table
  for n in 1 2; do
    head -n $n "$IN/table.tsv" > "$IN/cut.tsv"
    refused 1 'line 2|no partitions|empty|expected' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/cut.tsv"
  done
  head -c -20 "$IN/table.tsv" > "$IN/cut.tsv"     # the last row cut mid-field
  refused 1 'line 12: expected 9 tab-separated fields' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/cut.tsv"
  sed '1s/mtkfw-table 1/mtkfw-table 2/' "$IN/table.tsv" > "$IN/magic.tsv"
  refused 1 'not an mtkfw partition table' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/magic.tsv"
  # The version is the whole word: version 10 is not version 1.
  sed '1s/mtkfw-table 1/mtkfw-table 10/' "$IN/table.tsv" > "$IN/magic.tsv"
  refused 1 'line 1: not an mtkfw partition table of version 1 \(it says version 10\)' \
    scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/magic.tsv"
  scatter-gen --platform MT6752 --project p "$IN/table.tsv" > "$IN/scatter.txt"
  head -n 40 "$IN/scatter.txt" > "$IN/cut.txt"
  refused 1 'has no' scatter-gen --reformat -o "$OUT/s.txt" "$IN/cut.txt"
  sed 's/partition_size: 0x/partition_size: zz/' "$IN/scatter.txt" > "$IN/bad.txt"
  refused 1 'line [0-9]+' scatter-gen --reformat -o "$OUT/s.txt" "$IN/bad.txt"
}

@test "scatter-gen: lying sizes: past the device, overlapping, start + size past 2^64, offsets past 2^63" {
  table
  refused 1 'past|device' scatter-gen --platform MT6752 --project p --device-size 32M -o "$OUT/s.txt" "$IN/table.tsv"
  awk -F'\t' -v OFS='\t' '$2 == "boot" { $3 = 2359296 } { print }' "$IN/table.tsv" > "$IN/lie.tsv"
  refused 1 'overlap' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/lie.tsv"
  awk -F'\t' -v OFS='\t' '$2 == "userdata" { $3 = "18446744073709551615" } { print }' "$IN/table.tsv" > "$IN/lie.tsv"
  refused 1 'overflows' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/lie.tsv"
  awk -F'\t' -v OFS='\t' '$2 == "userdata" { $3 = "9223372036854775808" } { print }' "$IN/table.tsv" > "$IN/lie.tsv"
  refused 1 'past|device|overlap' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/lie.tsv"
  sed '1s/sector_size=512/sector_size=0/' "$IN/table.tsv" > "$IN/lie.tsv"
  refused 1 'sector' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/lie.tsv"
  # Names a scatter line cannot carry (found by fuzz_table): outer spaces, a line break.
  for bad in 'boot ' ' ' 'bo\x0aot'; do
    n=$bad awk -F'\t' -v OFS='\t' '$2 == "boot" { $2 = ENVIRON["n"] } { print }' "$IN/table.tsv" > "$IN/lie.tsv"
    refused 1 'partition 5 .*: a scatter file cannot carry this name' scatter-gen --platform MT6752 --project p -o "$OUT/s.txt" "$IN/lie.tsv"
  done
}

@test "scatter-gen: output to a closed pipe" {
  table
  closed_pipe none scatter-gen --platform MT6752 --project p "$IN/table.tsv"
}

# --- ext4-sparse --------------------------------------------------------------------------
# A 4 MiB ext4 (4 KiB blocks, mke2fs defaults: 64bit, metadata_csum, flex_bg) with some files.
# Superblock at 1024: s_blocks_count_lo 0x404, s_log_block_size 0x418, s_blocks_per_group 0x420,
# s_inodes_per_group 0x428, s_magic 0x438, s_feature_incompat 0x460, s_blocks_count_hi 0x550;
# group descriptor 0 at 4096: bg_block_bitmap_lo +0, bg_inode_table_hi +0x28.
ext4_image() {
  mkdir -p "$BATS_TEST_TMPDIR/root"
  head -c 300000 /dev/urandom > "$BATS_TEST_TMPDIR/root/data"
  mke2fs -q -F -t ext4 -b 4096 -d "$BATS_TEST_TMPDIR/root" "$IN/fs.img" 1024 >/dev/null 2>&1
}

@test "ext4-sparse: an empty pipe, an unreadable file" {
  : | refused 1 'not an ext2/3/4|empty|truncated' ext4-sparse -o "$OUT/x.simg"
  unreadable_file "$PUB/locked/fs.img"
  refused 3 'Permission denied' --unprivileged ext4-sparse -o /dev/null "$PUB/locked/fs.img"
}

@test "ext4-sparse: truncation at each metadata boundary, from a file and from a pipe" {
  ext4_image
  for cut in 1 1024 $((1024 + 0x38)) 2047 2048 4096 $((4096 + 20)) 8192 65536 $((4 * 1048576 - 1)); do
    head -c "$cut" "$IN/fs.img" > "$IN/cut"
    refused 1 'not an ext2/3/4|truncated|past the end' ext4-sparse -o "$OUT/x.simg" "$IN/cut"
    cat "$IN/cut" | refused 1 'not an ext2/3/4|truncated|past the end|ends' ext4-sparse -o "$OUT/x.simg"
  done
}

@test "ext4-sparse: wrong magic, lying counts and sizes, descriptors past 2^63" {
  ext4_image
  for lie in "0x438 0x0000" "0x404 0x7fffffff" "0x550 0x80000000" "0x418 7" "0x420 0" "0x428 0" \
             "0x460 0x80000000" "4096 0xfffffff0" "0x1028 0xffffffff"; do
    cp "$IN/fs.img" "$IN/lie"
    set -- $lie
    poke32 "$IN/lie" "$1" "$2"
    refused 1 'not an ext2/3/4|past the end|corrupt superblock|block size|blocks per group|inodes per group|feature|corrupt descriptor' \
      ext4-sparse -o "$OUT/x.simg" "$IN/lie"
  done
}

@test "ext4-sparse: --offset past the end, past 2^63, and offset + size past 2^64" {
  ext4_image
  refused 1 'past the end|truncated|ends' ext4-sparse -o "$OUT/x.simg" --offset 8M "$IN/fs.img"
  refused 1 'past the end|truncated|ends' ext4-sparse -o "$OUT/x.simg" --offset 0x8000000000000000 --size 4M "$IN/fs.img"
  refused 2 'offset \+ size is larger than 64 bits' ext4-sparse -o "$OUT/x.simg" --offset 0xfffffffffffff000 --size 0x2000 "$IN/fs.img"
  refused 2 'offset \+ size is larger than 64 bits' ext4-sparse --verify "$IN/fs.img" --offset 0xfffffffffffff000 --size 0x2000 "$IN/fs.img"
  refused 1 'truncated: the partition \(18446744073709543424 bytes from byte 4096\) runs past the end of the input \(4194304 bytes; 18446744073705353216 missing\)' ext4-sparse -o "$OUT/x.simg" --offset 4096 --size 0xffffffffffffe000 "$IN/fs.img"
  cat "$IN/fs.img" | refused 1 'past the end|truncated|ends' ext4-sparse -o "$OUT/x.simg" --offset 0x8000000000000000 --size 4M
}

@test "ext4-sparse -d: wrong magic, versions, header sizes, lying chunk sizes, counts and 32-bit overflows" {
  ext4_image
  ext4-sparse -o "$IN/fs.simg" "$IN/fs.img"
  # File header: magic 0, major 4, file_hdr_sz 8, chunk_hdr_sz 10, blk_sz 12, total_blks 16,
  # total_chunks 20.  Chunk 1 at 28: type 28, chunk_sz 32, total_sz 36.  chunk_sz + 2^20 makes
  # chunk_sz x 4096 wrap around 32 bits to the true data length: only 64-bit arithmetic sees it.
  blocks=$(od -An -tu4 -j16 -N4 "$IN/fs.simg" | tr -d ' ')
  chunks=$(od -An -tu4 -j20 -N4 "$IN/fs.simg" | tr -d ' ')
  sz1=$(od -An -tu4 -j32 -N4 "$IN/fs.simg" | tr -d ' ')
  for lie in "0 0x12345678" "4 0x00000002" "8 0x000c0014" "8 0x0008001c" "12 0" "12 4097" \
             "16 $((blocks + 1))" "16 $((blocks - 1))" "20 $((chunks + 1))" "20 $((chunks - 1))" \
             "28 0xcac9" "32 $((sz1 + 1))" "32 $((sz1 + 0x100000))" "36 12"; do
    cp "$IN/fs.simg" "$IN/lie"
    set -- $lie
    poke32 "$IN/lie" "$1" "$2"    # u16 pairs written whole: (major 2, minor 0), (28, 8), ...
    refused 1 'not a sparse image|version|header size|block size|blk_sz|chunk|total|truncated' ext4-sparse -d -o "$OUT/x.img" "$IN/lie"
    cat "$IN/lie" | refused 1 'not a sparse image|version|header size|block size|blk_sz|chunk|total|truncated' ext4-sparse -d -o "$OUT/x.img"
  done
  for cut in 10 28 34 40 200 $(( $(stat -c %s "$IN/fs.simg") - 1 )); do
    head -c "$cut" "$IN/fs.simg" > "$IN/cut"
    refused 1 'truncated|not a sparse image' ext4-sparse -d -o "$OUT/x.img" "$IN/cut"
  done
}

@test "ext4-sparse: SIGBUS (a mapped input cut short by another process) is an I/O error, no output left" {
  ext4_image
  # A FIFO that stalls after the superblock keeps ext4-sparse running with its temporary open;
  # the signal stands in for the page fault on a truncated file (not reproducible on cue).
  mkfifo "$BATS_TEST_TMPDIR/stall"
  { head -c 3M "$IN/fs.img"; exec sleep 30; } >"$BATS_TEST_TMPDIR/stall" &
  local writer=$!
  ext4-sparse -o "$OUT/x.simg" <"$BATS_TEST_TMPDIR/stall" 2>"$OUT/err" &
  local pid=$! tries=0
  until compgen -G "$OUT/.x.simg.tmp*" >/dev/null; do sleep 0.05; tries=$((tries + 1)); [ "$tries" -lt 100 ]; done
  kill -BUS "$pid"
  local status=0
  wait "$pid" || status=$?
  kill "$writer" 2>/dev/null || true   # gone already when the pipe closed under it
  assert_equal "$status" 3
  assert_equal "$(cat "$OUT/err")" "ext4-sparse: error: an input file changed while being read (it was cut short)"
  rm "$OUT/err"
  [ -z "$(ls -A "$OUT")" ]
}

@test "ext4-sparse: output to a closed pipe (head -c1), encode and -d" {
  ext4_image
  closed_pipe 'head -c1' ext4-sparse "$IN/fs.img"
  ext4-sparse -o "$IN/fs.simg" "$IN/fs.img"
  closed_pipe 'head -c1' ext4-sparse -d "$IN/fs.simg"
}

# --- fw-checksum --------------------------------------------------------------------------
firmware() {  # $IN/fw: a scatter with two downloaded images and one row that is not
  mkdir -p "$IN/fw"
  head -c 300000 /dev/urandom > "$IN/fw/lk.bin"
  head -c 1048583 /dev/urandom > "$IN/fw/boot.img"
  fwck_scatter "$IN/fw/MT6752_Android_scatter.txt" lk:lk.bin:true boot:boot.img:true nvram:NONE:false
  SOURCE_DATE_EPOCH=1700000000 fw-checksum --md5 -o "$IN/fw/Checksum.ini" "$IN/fw/MT6752_Android_scatter.txt"
  (cd "$IN/fw" && fw-checksum --format md5sum lk.bin boot.img > list.md5)
}

@test "fw-checksum: empty lists and Checksum.ini, unreadable scatter and unreadable image" {
  refused 1 'empty' fw-checksum -c "$IN/empty" "$IN/empty"
  refused 1 'empty' fw-checksum --format md5sum -c "$IN/empty"
  unreadable_file "$PUB/locked/MT6752_Android_scatter.txt"
  refused 3 'Permission denied' --unprivileged fw-checksum -o /dev/null "$PUB/locked/MT6752_Android_scatter.txt"
  # The scatter readable, one image not (mode 000 stops everyone but root).
  fwck_scatter "$PUB/MT6752_Android_scatter.txt" lk:lk.bin:true
  echo data > "$PUB/lk.bin"
  chmod 644 "$PUB/MT6752_Android_scatter.txt"
  chmod 000 "$PUB/lk.bin"
  refused 3 'lk.bin: Permission denied' --unprivileged fw-checksum -o /dev/null "$PUB/MT6752_Android_scatter.txt"
  refused 3 'lk.bin: Permission denied' --unprivileged fw-checksum --format xxh128 "$PUB/lk.bin"
}

@test "fw-checksum: truncated and malformed scatter files, Checksum.ini and lists" {
  firmware
  head -n 25 "$IN/fw/MT6752_Android_scatter.txt" > "$IN/fw/cut_scatter.txt"
  refused 1 'has no' fw-checksum -o "$OUT/Checksum.ini" "$IN/fw/cut_scatter.txt"
  printf 'hello: world\n' > "$IN/fw/magic_scatter.txt"
  refused 1 'config_version|not a scatter' fw-checksum -o "$OUT/Checksum.ini" "$IN/fw/magic_scatter.txt"
  head -c 40 "$IN/fw/Checksum.ini" > "$IN/fw/cut.ini"
  refused 1 'CheckSum|line' fw-checksum -c "$IN/fw/cut.ini" "$IN/fw/MT6752_Android_scatter.txt"
  sed 's/^lk=0x\(....\)/lk=0x1\1/' "$IN/fw/Checksum.ini" > "$IN/fw/lie.ini"      # 17 bits
  refused 1 'line [0-9]+: not a V1 checksum' fw-checksum -c "$IN/fw/lie.ini" "$IN/fw/MT6752_Android_scatter.txt"
  sed 's/^boot=\(.*\)-/boot=\1/' "$IN/fw/Checksum.ini" > "$IN/fw/lie.ini"       # a V2 group lost
  refused 1 'line [0-9]+' fw-checksum -c "$IN/fw/lie.ini" "$IN/fw/MT6752_Android_scatter.txt"
  head -c 20 "$IN/fw/list.md5" > "$IN/fw/cut.md5"
  refused 1 'line 1' fw-checksum --format md5sum -c "$IN/fw/cut.md5"
  sed 's/^/x/' "$IN/fw/list.md5" > "$IN/fw/magic.md5"
  refused 1 'line 1' fw-checksum --format md5sum -c "$IN/fw/magic.md5"
}

@test "fw-checksum: output to a closed pipe, onto its images" {
  firmware
  closed_pipe none fw-checksum "$IN/fw/MT6752_Android_scatter.txt"
  closed_pipe none fw-checksum --format xxh128 "$IN/fw/lk.bin" "$IN/fw/boot.img"
  refused 2 'same file as the input' fw-checksum -o "$IN/fw/boot.img" "$IN/fw/MT6752_Android_scatter.txt"
  refused 2 'same file as the input' fw-checksum --format md5sum -o "$IN/fw/lk.bin" "$IN/fw/lk.bin"
}

# --- readback2fw (the pipeline script) ----------------------------------------------------
# Its own checks come first; input it passes on is judged by the filter, whose message it says
# again as its own (readback2fw: error: ...).  OUTDIR must not appear when a run fails before writing.

@test "readback2fw: a missing USER, an unreadable input; no OUTDIR left" {
  boot1
  refused 3 'missing: No such file or directory' readback2fw "$IN/Boot1" "$IN/missing" "$OUT/fw"
  unreadable_file "$PUB/locked/User"
  refused 3 'locked/User: Permission denied' --unprivileged readback2fw "$PUB/locked/User" "$PUB/locked/User" "$OUT/fw"
}
