# Readback fixtures of modern phones, from real tools: a UFS LU2 (4096-byte LBAs, via a loop
# device: Debian 12's sfdisk cannot write a 4K GPT to a file, TESTING.md), the A/B boot control
# block in misc, a vendor ext4 with its build.prop.

# ufs_lu2 FILE SFDISK_LINES: a 4096-sector GPT made by sfdisk on a loop device (`-b 4096`), for a
# 64 MiB disk; the file then grows by MediaTek's 512 KiB sgpt tail (the whole user area, as SP
# Flash Tool reads it back).  sfdisk's own view of the table, read through the loop device, is
# left in FILE.sfdisk.json: the oracle for starts and sizes.
ufs_lu2() {
  local f=$1 script=$2 loop
  rm -f "$f"
  truncate -s $(( 64 << 20 )) "$f"
  loop=$(losetup -f --show -b 4096 "$f")
  printf 'label: gpt\nfirst-lba: 6\n%s\n' "$script" | sfdisk -q "$loop" >/dev/null 2>&1 || true
  sfdisk -J "$loop" > "$f.sfdisk.json"
  losetup -d "$loop"
  # The table sfdisk wrote must be a 4K one: else the fixture would prove nothing.
  [ "$(jq .partitiontable.sectorsize "$f.sfdisk.json")" = 4096 ] || return 1
  truncate -s $(( (64 << 20) - 4096 * 5 + (512 << 10) )) "$f"
}

# The byte offset of partition NAME in a dump, from sfdisk's JSON (sectors x sector size).
sfdisk_start() {  # JSON NAME
  jq -r --arg n "$2" '.partitiontable as $t | $t.partitions[] | select(.name == $n) | .start * $t.sectorsize' "$1"
}
sfdisk_size() {  # JSON NAME
  jq -r --arg n "$2" '.partitiontable as $t | $t.partitions[] | select(.name == $n) | .size * $t.sectorsize' "$1"
}

# ab_block DUMP MISC_OFFSET ARGS...: writes tests/lib/ab-block.py's block at misc + 2048.
ab_block() {
  local f=$1 at=$2; shift 2
  python3 "$MTKFW_ROOT/tests/lib/ab-block.py" "$@" |
    dd of="$f" bs=1 seek=$(( at + 2048 )) conv=notrunc status=none
}

# vendor_fs DUMP OFFSET BYTES PROPS: an ext4 at OFFSET holding /build.prop with the lines PROPS.
vendor_fs() {
  local f=$1 at=$2 bytes=$3 props=$4 dir
  dir=$(mktemp -d)
  printf '%s\n' "$props" > "$dir/build.prop"
  mke2fs -q -F -t ext4 -b 4096 -E offset="$at" -L vendor -d "$dir" "$f" $(( bytes / 4096 )) >/dev/null
  rm -rf "$dir"
}
