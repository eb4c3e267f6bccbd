#!/usr/bin/env bats
# 64-bit offsets end to end: partitions beyond 2 TiB (past 2^32 sectors of 512 bytes and 2^29
# of 4096) in sparse dumps, with 512- and 4096-byte sectors, through part-cut (by name, by index,
# raw --offset) and ext4-sparse --offset.  Oracles: dd with byte offsets, sfdisk -J, simg2img and
# e2fsck -fn.  The dumps are sparse files: a few MiB on disk.

load test_helper

TIB=$((1 << 40))

setup() {
  T=$BATS_TEST_TMPDIR
}

# fill_random FILE OFFSET BYTES: random data at a byte offset (dd, not our tools).
fill_random() {
  head -c "$3" /dev/urandom | dd of="$1" bs=64K seek="$2" oflag=seek_bytes conv=notrunc status=none
}

# check_partition DUMP NAME START BYTES: part-cut by name and by --offset equal dd; a small ext4
# made in place by mke2fs -E offset goes through ext4-sparse --offset, simg2img and e2fsck.
check_ext4_partition() {
  local dump=$1 name=$2 start=$3 bytes=$4
  mke2fs -q -F -t ext4 -b 4096 -L "$name" -E offset="$start" -d "$MTKFW_ROOT/man" "$dump" $((bytes / 4096)) >/dev/null 2>&1
  part-cut -o "$T/$name.img" "$dump" "$name"
  cmp "$T/$name.img" <(dd_range "$dump" "$start" "$bytes")
  e2fsck -fn "$T/$name.img" >/dev/null
  part-cut --offset "$start" --size "$bytes" "$dump" | cmp - "$T/$name.img"
  ext4-sparse -q --offset "$start" --size "$bytes" -o "$T/$name.simg" "$dump"
  simg2img "$T/$name.simg" "$T/$name.raw"
  e2fsck -fn "$T/$name.raw" >/dev/null
  # Free blocks of a fresh file system in a sparse dump read as zeros: the expansion is exact.
  cmp "$T/$name.raw" "$T/$name.img"
  ext4-sparse --verify "$T/$name.simg" --offset "$start" --size "$bytes" "$dump" > "$T/verify"
  grep -qx 'verified=ok' "$T/verify"
}

@test "512-byte sectors: partitions past 2 TiB (LBA > 2^32) cut exactly, ext4 inside encoded with --offset" {
  d=$T/User
  truncate -s $((3 * TIB)) "$d"
  # lk below 4 GiB, boot just above 4 GiB, system and userdata past 2 TiB (LBA 2^32 + ...).
  local big=$(( (1 << 32) + 2048 ))
  sgdisk -o -a 1 \
    -n 1:2048:4095 -c 1:lk \
    -n 2:$(( (1 << 23) + 64 )):$(( (1 << 23) + 64 + 2047 )) -c 2:boot \
    -n 3:$big:$(( big + 16383 )) -c 3:system \
    -n 4:$(( big + 16384 )):$(( big + 16384 + 4095 )) -c 4:userdata "$d" >/dev/null
  fill_random "$d" $((2048 * 512)) 1048576
  fill_random "$d" $(( ((1 << 23) + 64) * 512 )) 1048576
  fill_random "$d" $(( (big + 16384) * 512 + 12345 )) 1000000
  # gpt-list agrees with sfdisk on the starts (bytes past 2^41).
  run gpt-list --tsv "$d"
  assert_success
  assert_line --partial $'3\tsystem\t'$((big * 512))$'\t'$((16384 * 512))
  [ "$(sfdisk -J "$d" | jq '.partitiontable.partitions[2].start')" -eq "$big" ]
  # Raw partitions by name, by index and by --offset (a pipe out).
  part-cut -o "$T/lk.img" "$d" lk
  cmp "$T/lk.img" <(dd_range "$d" $((2048 * 512)) $((2048 * 512)))
  part-cut --index 2 "$d" | cmp - <(dd_range "$d" $(( ((1 << 23) + 64) * 512 )) $((2048 * 512)))
  part-cut -o "$T/ud.img" "$d" userdata
  cmp "$T/ud.img" <(dd_range "$d" $(( (big + 16384) * 512 )) $((4096 * 512)))
  part-cut --offset $(( (big + 16384) * 512 + 12345 )) --size 1000000 "$d" |
    cmp - <(dd_range "$d" $(( (big + 16384) * 512 + 12345 )) 1000000)
  check_ext4_partition "$d" system $((big * 512)) $((16384 * 512))
  # The dump stays sparse: a few MiB allocated for 3 TiB.
  [ "$(du -k "$d" | cut -f1)" -lt 65536 ]
}

@test "4096-byte sectors: partitions past 2 TiB (LBA > 2^29) through part-cut and ext4-sparse --offset" {
  d=$T/User4k
  truncate -s $((3 * TIB)) "$d"
  # fdisk -b 4096 writes a GPT with 4096-byte sectors to a plain file.
  local big=$(( (1 << 29) + 256 ))
  printf 'g\nn\n1\n256\n+1M\nn\n2\n%s\n+8M\nn\n3\n%s\n+2M\nx\nn\n1\nlk\nn\n2\nsystem\nn\n3\nuserdata\nr\nw\n' "$big" $((big + 4096)) |
    fdisk -b 4096 "$d" >/dev/null 2>&1
  run gpt-list --tsv "$d"
  assert_success
  assert_line --regexp '^# mtkfw-table 1 sector_size=4096 '
  assert_line --partial $'2\tsystem\t'$((big * 4096))$'\t8388608'
  read -r ud_start ud_size < <(awk -F'\t' '$2 == "userdata" { print $3, $4 }' <<< "$output")
  [ "$ud_start" -gt $((2 * TIB)) ]
  fill_random "$d" $((256 * 4096)) 1048576
  fill_random "$d" "$ud_start" "$ud_size"
  part-cut -o "$T/lk.img" "$d" lk
  cmp "$T/lk.img" <(dd_range "$d" $((256 * 4096)) 1048576)
  part-cut --sector-size 4096 --index 3 "$d" | cmp - <(dd_range "$d" "$ud_start" "$ud_size")
  # Forcing the wrong sector size finds no GPT: exit 1, no file.
  run part-cut --sector-size 512 -o "$T/wrong.img" "$d" lk
  assert_failure 1
  assert_output --partial 'no valid GPT'
  [ ! -e "$T/wrong.img" ]
  check_ext4_partition "$d" system $((big * 4096)) 8388608
}
