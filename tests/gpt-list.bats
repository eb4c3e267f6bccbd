#!/usr/bin/env bats
# gpt-list against tables made by sgdisk/sfdisk, with sfdisk -J as the oracle.

load test_helper

setup() {
  cd "$BATS_TEST_TMPDIR"
}

# The fields sfdisk -J and gpt-list --json share, one line per partition.
sfdisk_view() { sfdisk -J "$1" | jq -c '(.partitiontable.partitions // [])[] | [.start, .size, .type, .uuid, (.name // "")]'; }
ours_view()   { gpt-list --json "$1" | jq -c '.partitiontable.partitions[] | [.start, .size, .type, .uuid, .name]'; }

assert_agrees_with_sfdisk() {
  sfdisk_view "$1" > expected
  ours_view "$1" > actual
  [ -s expected ] || [ "${2:-}" = empty ]
  run diff expected actual
  assert_success
}

@test "128-entry table: --json agrees with sfdisk -J" {
  mtk_dump User
  assert_agrees_with_sfdisk User
  run gpt-list --json User
  assert_success
  assert_output --partial '"label": "gpt"'
  assert_output --partial '"sectorsize": 512'
}

@test "non-default entry count agrees with sfdisk -J" {
  truncate -s 16M d
  sgdisk -o -a 1 --resize-table=56 -n 1:2048:4095 -c 1:one -n 2:4096:8191 -c 2:two d >/dev/null
  assert_agrees_with_sfdisk d
  truncate -s 16M e
  sgdisk -o -a 1 --resize-table=200 -n 1:2048:4095 -c 1:one e >/dev/null
  assert_agrees_with_sfdisk e
}

@test "empty table: valid JSON with no partitions, agrees with sfdisk -J" {
  truncate -s 4M d
  sgdisk -o d >/dev/null
  run gpt-list --json d
  assert_success
  run jq -e '.partitiontable.partitions == []' <<<"$output"
  assert_success
  assert_agrees_with_sfdisk d empty
  run gpt-list --tsv d
  assert_success
  assert_equal "${#lines[@]}" 2
}

@test "non-ASCII names come out as UTF-8, control characters escaped in tables" {
  truncate -s 8M d
  sgdisk -o -a 1 -n 1:64:127 -c 1:"système-ß€😀" -n 2:128:191 -c 2:"$(printf 'a\tb')" d >/dev/null
  assert_agrees_with_sfdisk d
  run gpt-list d
  assert_success
  assert_output --partial 'système-ß€😀'
  assert_output --partial 'a\x09b'
  run gpt-list --tsv d
  assert_line --partial $'2\ta\\x09b\t'
}

@test "partitions above 4 GiB and above 2 TiB in a sparse file" {
  truncate -s 3T big
  sgdisk -o -a 1 -n 1:2048:+1G -c 1:low -n 2:$(( 5 * 1024 * 1024 * 2 )):+1G -c 2:above4g \
    -n 3:$(( 2200 * 1024 * 1024 * 2 )):+8G -c 3:above2t big >/dev/null
  assert_agrees_with_sfdisk big
  run gpt-list --tsv big
  assert_success
  assert_line --partial $'3\tabove2t\t2362232012800\t8589934592\t'
}

@test "4096-byte sectors (loop device, sfdisk) are detected and agree with sfdisk -J" {
  truncate -s 64M d
  L=$(losetup -f --show -b 4096 d 2>/dev/null) || skip "no loop devices here"
  printf 'label: gpt\nsize=4096, name=alpha\nsize=8192, name=beta\n' | sfdisk -q "$L" 2>/dev/null || true
  sfdisk -J "$L" | jq -c '.partitiontable.partitions[] | [.start, .size, .type, .uuid, .name]' > expected
  losetup -d "$L"
  ours_view d > actual
  run diff expected actual
  assert_success
  run gpt-list --tsv d
  assert_line --regexp '^# mtkfw-table 1 sector_size=4096 '
  run gpt-list --sector-size 512 d
  assert_failure 1
}

@test "MediaTek dump (backup at the start of the sgpt tail) lists with an info line, no warning" {
  mtk_dump User
  run gpt-list User
  assert_success
  refute_output --partial warning
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_equal "$stderr" "gpt-list: User: 991 sectors after the backup GPT (MediaTek's reserved sgpt area: normal for a readback)"
  run --separate-stderr gpt-list -q --tsv User
  assert_equal "$stderr" ""
}

@test "human table shows the header facts and byte ranges like parted unit B" {
  mtk_dump User
  run gpt-list User
  assert_success
  assert_line "Sector size: 512 B"
  assert_line "Dump size: 67108864 B"
  assert_line --regexp '^ +8 +8388608B +29360127B +20971520B +zero +system$'
}

@test "content detection: ext4 with label, boot image, zero, unknown" {
  mtk_dump User
  mke2fs -q -F -t ext4 -L sys -E offset=$(( 16384 * 512 )) User 4096 >/dev/null 2>&1
  head -c 1024 /dev/urandom > kernel; head -c 512 /dev/urandom > ramdisk
  mkbootimg --kernel kernel --ramdisk ramdisk --pagesize 2048 -o boot.img
  dd if=boot.img of=User bs=512 seek=5376 conv=notrunc status=none
  head -c 4096 /dev/urandom | dd of=User bs=512 seek=4608 conv=notrunc status=none
  # random data that holds the ext magic 0xEF53 but no block size e2fsprogs can make: not ext
  local sb=$(( 4608 * 512 + 1024 ))
  set_byte User $(( sb + 0x38 )) 0x53; set_byte User $(( sb + 0x39 )) 0xEF; set_byte User $(( sb + 0x1B )) 0xFF
  run gpt-list --tsv User
  assert_line --regexp $'^8\tsystem\t8388608\t20971520\text4\tsys\t'
  assert_line --regexp $'^5\tboot\t[0-9]+\t[0-9]+\tandroid-boot\t'
  assert_line --regexp $'^4\tlk\t[0-9]+\t[0-9]+\tunknown\t'
  assert_line --regexp $'^1\tproinfo\t[0-9]+\t[0-9]+\tzero\t'
}

@test "a pipe: primary only, says the backup was not checked" {
  mtk_dump User
  gpt-list --tsv User | tail -n +2 | cut -f1-4 > expected
  run --separate-stderr bash -c 'cat User | gpt-list --tsv'
  assert_success
  assert_equal "$stderr" "gpt-list: standard input: input is a pipe: backup GPT not checked"
  printf '%s\n' "$output" | tail -n +2 | cut -f1-4 > actual
  run diff expected actual
  assert_success
}

@test "listing a 16 GiB dump reads well under 1 MiB" {
  command -v strace >/dev/null || skip "strace not installed"
  truncate -s $(( 16 * 1024 * 1024 * 1024 - 524288 + 33 * 512 )) big
  sgdisk -o -a 1 -n 1:2048:+1G -c 1:system -n 2:0:0 -c 2:userdata big >/dev/null
  truncate -s 16G big
  # -P: only the system calls that touch the dump itself.
  # LeakSanitizer cannot run under ptrace (make test-sanitize).
  ASAN_OPTIONS=detect_leaks=0 strace -f -P big -e trace=read,pread64 -o trace gpt-list big >/dev/null 2>&1
  total=$(awk -F' = ' '/read/ { s += $NF } END { print s + 0 }' trace)
  echo "read $total bytes" >&3
  [ "$total" -gt 0 ]
  [ "$total" -lt 1048576 ]
}

@test "damaged primary header: warns and uses the backup" {
  mtk_dump User
  poke User $(( 512 + 16 )) 58585858   # "XXXX"
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_equal "$(printf '%s\n' "$stderr" | head -1)" "gpt-list: warning: User: primary GPT is damaged (header CRC32 mismatch); using the backup at LBA 130080"
  assert_line --partial $'10\tflashinfo\t'
}

@test "damaged primary entry array: warns and uses the backup" {
  mtk_dump User
  poke User $(( 1024 + 128 + 60 )) 58585858
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_equal "$(printf '%s\n' "$stderr" | head -1)" "gpt-list: warning: User: primary GPT is damaged (partition entry array CRC32 mismatch); using the backup at LBA 130080"
  assert_line --partial $'2\tnvram\t'
}

@test "damaged backup: warns, the primary is used" {
  mtk_dump User
  poke User $(( 130080 * 512 + 16 )) 58585858
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_equal "$(printf '%s\n' "$stderr" | head -1)" "gpt-list: warning: User: backup GPT at LBA 130080 is damaged (header CRC32 mismatch); the primary is intact"
}

@test "both copies damaged: exit 1, no valid GPT" {
  mtk_dump User
  poke User $(( 512 + 16 )) 58585858
  poke User $(( 130080 * 512 + 16 )) 58585858
  run --separate-stderr gpt-list User
  assert_failure 1
  assert_equal "$stderr" "gpt-list: error: User: no valid GPT (primary: header CRC32 mismatch; backup: not found)"
  assert_output ""
}

@test "truncated readback: listed with a warning naming the partitions past its end and the readback length" {
  mtk_dump User
  whole=$(printf '0x%X' "$(stat -c %s User)")   # mtk_dump's file is the whole user area
  truncate -s $(( 100000 * 512 )) User
  run --separate-stderr gpt-list User
  assert_success
  assert_equal "$stderr" "gpt-list: warning: User: truncated readback: the dump has 51200000 bytes but its GPT describes 66601472; partitions past its end: userdata (missing 13811712 of 35651584 bytes), flashinfo; the whole user area is SP Flash Tool's Readback with start address 0x0, length $whole"
  assert_line "Whole user area: start address 0x0, length $whole (SP Flash Tool Readback)"
  assert_line --regexp '^ +10 .* missing +flashinfo$'
  run --separate-stderr gpt-list --json User
  assert_equal "$(jq -r '.partitiontable | "\(.dumpsize) \(.readbacklength) \(.partitions[9].content)"' <<<"$output")" \
    "51200000 $(( whole )) missing"
}

@test "no GPT; an empty pipe" {
  head -c 1M /dev/zero > zero
  run --separate-stderr gpt-list zero
  assert_failure 1
  assert_equal "$stderr" 'gpt-list: error: zero: no valid GPT (primary: no "EFI PART" signature at LBA 1; backup: not found)'
  run --separate-stderr bash -c ': | gpt-list'
  assert_failure 1
}

@test "usage errors exit 2" {
  run --separate-stderr gpt-list --tsv --json x
  assert_failure 2
  assert_equal "$stderr" "gpt-list: error: --tsv and --json exclude each other"
  run --separate-stderr gpt-list --sector-size 1024 x
  assert_failure 2
  run --separate-stderr gpt-list --sector-size 5x x
  assert_failure 2
  assert_equal "$stderr" "gpt-list: error: --sector-size: unknown suffix in '5x' (use K, KiB, M, MiB, G, GiB, KB, MB, GB)"
}

@test "-o writes atomically; a failed run leaves no file" {
  mtk_dump User
  run gpt-list --tsv -o table.tsv User
  assert_success
  assert_file_exists table.tsv
  gpt-list --tsv User | cmp - table.tsv
  : > empty
  run gpt-list --tsv -o out.tsv empty
  assert_failure 1
  assert_no_output_left . out.tsv
}

@test "a closed pipe ends gpt-list as it ends cat: SIGPIPE (141) or done first (0), silently" {
  mtk_dump User
  run bash -c 'gpt-list -q --json User 2>err | head -c1 >/dev/null; echo "${PIPESTATUS[0]}"; cat err'
  # The JSON is small: it may fit the pipe before head closes it.
  [[ "${lines[0]}" == 0 || "${lines[0]}" == 141 ]]
  [ "${#lines[@]}" -eq 1 ]
}

@test "the TSV round-trips through the shared parser (scatter-gen reads it)" {
  mtk_dump User
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_line --index 1 $'index\tname\tstart\tsize\tcontent\tlabel\ttype\tuuid\tattributes'
  assert_line --regexp '^# mtkfw-table 1 sector_size=512 dump_size=67108864 disk_size=66601472 first_lba=34 last_lba=130047 disk_guid=[0-9A-F-]{36} readback_length=67108864 storage=emmc$'
}

# platform_dump FILE MKE2FS_OPTIONS PROP_PATH PROPS: a dump whose system partition holds PROPS at PROP_PATH.
platform_dump() {
  mtk_dump "$1"
  mkdir -p root/system root/many
  for i in $(seq 1 400); do : > "root/many/file-with-a-long-name-$i"; done   # an htree directory
  for i in $(seq 1 300); do : > "root/entry-$i"; done                        # a large root too
  printf '%s\n' "$4" > "root$3"
  head -c 70000 /dev/zero | tr '\0' '#' >> "root$3"                        # > 12 blocks of 4 KiB: indirect blocks
  printf '\n' >> "root$3"
  # shellcheck disable=SC2086
  mke2fs -q -F $2 -L system -E offset=$(( 16384 * 512 )) -d root "$1" 5120 >/dev/null
}

@test "platform from system's build.prop (ext4 extents, htree directories)" {
  platform_dump User "-t ext4" /build.prop $'ro.build.id=X\nro.board.platform=mt6752\nro.mediatek.platform=MT6752'
  run --separate-stderr gpt-list --tsv User
  assert_success
  assert_line --index 0 --regexp ' platform=MT6752$'
  run jq -r .partitiontable.platform <(gpt-list -q --json User)
  assert_output MT6752
  # scatter-gen takes the table's platform when --platform is not given.
  run bash -c 'gpt-list -q --tsv User | scatter-gen -q'
  assert_success
  assert_line "      platform: MT6752"
}

@test "platform: ro.board.platform when ro.mediatek.platform is absent; ext3 block maps; /system/build.prop" {
  platform_dump User "-t ext3 -b 1024" /system/build.prop $'ro.board.platform=mt6735'
  run --separate-stderr gpt-list --tsv User
  assert_line --index 0 --regexp ' platform=MT6735$'
}

@test "platform: absent when there is no build.prop; the table says nothing" {
  platform_dump User "-t ext4" /other.prop 'ro.board.platform=mt6752'
  run --separate-stderr gpt-list --tsv User
  assert_success
  refute_output --partial platform=
  assert_equal "$stderr" "gpt-list: User: 991 sectors after the backup GPT (MediaTek's reserved sgpt area: normal for a readback)"
}

@test "platform: a damaged system file system is a warning, not a failure" {
  platform_dump User "-t ext4" /build.prop 'ro.board.platform=mt6752'
  # Break the root directory's inode table block (group 0 inode table, found by dumpe2fs).
  itable=$(dumpe2fs "User?offset=$(( 16384 * 512 ))" 2>/dev/null | sed -n 's/^ *Inode table at \([0-9]*\)-.*/\1/p' | head -1)
  head -c 1024 /dev/zero | tr '\0' '\377' | dd of=User bs=1024 seek=$(( 16384 / 2 + itable )) conv=notrunc status=none
  run --separate-stderr gpt-list --tsv User
  assert_success
  [[ "$stderr" == *"gpt-list: warning: system: cannot read build.prop: "* ]]
}

@test "platform from vendor's /build.prop (ro.vendor.mediatek.platform, then ro.board.platform); system first" {
  source "$MTKFW_ROOT/tests/lib/dumps.bash"
  truncate -s $(( 32 << 20 )) User
  sgdisk -o -a 1 -n 1:2048:18431 -c 1:system -n 2:18432:51199 -c 2:vendor User >/dev/null
  vendor_fs User $(( 18432 * 512 )) $(( 32768 * 512 )) $'ro.board.platform=mt6768\nro.vendor.mediatek.platform=MT6769'
  run --separate-stderr gpt-list -v --tsv User
  assert_line --index 0 --regexp ' platform=MT6769$'
  [[ $stderr == *"gpt-list: platform MT6769 from vendor:/build.prop ro.vendor.mediatek.platform"* ]]
  vendor_fs User $(( 18432 * 512 )) $(( 32768 * 512 )) 'ro.board.platform=mt6768'
  run gpt-list -q --tsv User
  assert_line --index 0 --regexp ' platform=MT6768$'
  # A system build.prop that names the chip comes first.
  mkdir sys && echo 'ro.mediatek.platform=MT6765' > sys/build.prop
  mke2fs -q -F -t ext4 -b 4096 -E offset=$(( 2048 * 512 )) -L system -d sys User $(( 16384 * 512 / 4096 )) >/dev/null
  run gpt-list -q --tsv User
  assert_line --index 0 --regexp ' platform=MT6765$'
}
