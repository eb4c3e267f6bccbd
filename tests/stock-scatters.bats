#!/usr/bin/env bats
# Issue 15's goldens: for every modern stock scatter in ../shared/reference/scatter, the phone's
# readback is built with real tools (tests/lib/stock-readback: sgdisk, sfdisk on a 4096-byte loop
# device, mke2fs -d, mkbootimg), readback2fw --file-names stock makes its firmware, and our scatter
# is compared with the stock one field by field (tests/lib/stock-match, reading both with awk).
# Every layout field must be equal; the policy fields may differ only as
# tests/expected/stock-scatters/SAMPLE.STORAGE.differences lists (one line each:
# "row field stock ours # reason"), and none of them critically.
# The harness's own tests come last: it must see a wrong field, read XML as it reads text, and build
# the readback the stock file describes.

load test_helper

STOCK_DIR=$(reference_dir || echo /nonexistent)/scatter
EXPECTED=$MTKFW_ROOT/tests/expected/stock-scatters
HARNESS=$MTKFW_ROOT/tests/lib

need_stock() {  # FILE
  [ -f "$STOCK_DIR/$1" ] || skip "reference sample $1 not found (../shared/reference/scatter or MTKFW_REFERENCE)"
}

# The policy differences of one run, as "row field stock ours" lines.
said_differences() { sed -n 's/^  policy \(.*\)$/\1/p' <<<"$output" | sed 's/ critical$//'; }
# An expected-differences file without its reasons, comments and blank lines.
expected_differences() { sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1"; }

# stock_matches FILE STORAGE: the whole check of one sample.
stock_matches() {
  local file=$1 storage=$2 expected=$EXPECTED/$1.$2.differences
  need_stock "$file"
  [ -f "$expected" ] || fail "no $expected (the sample's expected policy differences, each with its reason)"
  cd "$BATS_TEST_TMPDIR"
  TMPDIR=$BATS_TEST_TMPDIR run "$HARNESS/stock-match" --storage "$storage" "$STOCK_DIR/$file"
  echo "$output"
  assert_success                                        # every layout field equal
  assert_line --regexp "^$file +$storage +layout .* critical 0 "
  assert_equal "$(said_differences)" "$(expected_differences "$expected")"
}

@test "stock MT6765 lenovo_ksu (V1.1.2, eMMC): layout equal, policy as listed" {
  stock_matches MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt emmc
}

@test "stock MT6765 redmi_9a_dandelion_super (V1.1.2, super): layout equal, policy as listed" {
  stock_matches MT6765_Android_scatter__redmi_9a_dandelion_super.txt emmc
}

@test "stock MT6768 biloba (V1.1.8, A/B, CRLF): layout equal, policy as listed" {
  stock_matches MT6768_Android_scatter__biloba_V1.1.8_ab.txt emmc
}

@test "stock MT6768 p325a text (V1.1.8, A/B, mrdump): layout equal, policy as listed" {
  stock_matches MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt emmc
}

@test "stock MT6768 p325a XML (V1.1.8): layout equal, policy as listed" {
  stock_matches MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml emmc
}

@test "stock MT6779 bv9900pro V2.1.0, EMMC section: layout equal, policy as listed" {
  stock_matches MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt emmc
}

@test "stock MT6779 bv9900pro V2.1.0, UFS section (4096-byte LU2): layout equal, policy as listed" {
  stock_matches MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt ufs
}

@test "stock MT6781 V2.1.0, EMMC section (preloader_backup, NEEDRESIZE): layout equal, policy as listed" {
  stock_matches MT6781_Android_scatter__V2.1.0_emmc_ufs.txt emmc
}

@test "stock MT6781 V2.1.0, UFS section: layout equal, policy as listed" {
  stock_matches MT6781_Android_scatter__V2.1.0_emmc_ufs.txt ufs
}

@test "stock MT6833 oppo V2.1.0, EMMC section (17 keys): layout equal, policy as listed" {
  stock_matches MT6833_Android_scatter__oppo_V2.1.0_emmc_ufs.txt emmc
}

@test "stock MT6833 oppo V2.1.0, UFS section: layout equal, policy as listed" {
  stock_matches MT6833_Android_scatter__oppo_V2.1.0_emmc_ufs.txt ufs
}

# --- the harness itself ------------------------------------------------------------------

# The generation mtkfw restores today: the whole pipeline on the harness's readback must give the
# stock layout, every field, or the harness (not the pipeline) is wrong.
@test "harness on MT6752 elephone p6000 (the generation restored today): layout equal, policy as listed" {
  stock_matches MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt emmc
}

@test "harness on MT6752 sony xperia c4: layout equal, policy as listed" {
  stock_matches MT6752_Android_scatter__sony_xperia_c4_callass__RECONSTRUCTED.txt emmc
}

@test "stock-match --compare: a stock file against itself matches every field, in every section" {
  need_stock MT6781_Android_scatter__V2.1.0_emmc_ufs.txt
  run "$HARNESS/stock-match" --compare "$STOCK_DIR/MT6781_Android_scatter__V2.1.0_emmc_ufs.txt" \
    "$STOCK_DIR/MT6781_Android_scatter__V2.1.0_emmc_ufs.txt"
  assert_success
  # 52 rows: 5 header + 52 * 9 layout fields, 52 * 6 policy fields (16 keys: no combo_partsize_check)
  assert_line --regexp '^MT6781_.* emmc +layout +473/473 +policy +312/312 +critical 0 +identical yes '
  assert_line --regexp '^MT6781_.* ufs +layout +473/473 +policy +312/312 +critical 0 +identical yes '
  refute_output --regexp '^  (layout|policy) '
}

@test "stock-match --compare catches a wrong layout field, a wrong policy field and both critical kinds" {
  need_stock MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt
  cd "$BATS_TEST_TMPDIR"
  # A deliberately altered copy as "ours": boot's size, lk2's file, nvram (BINREGION) downloaded,
  # system (downloaded) typed NORMAL_ROM, and the header's block size.
  awk '
    /partition_name:/ { row = $2 }
    /block_size:/ { sub(/0x20000/, "0x80000") }
    row == "boot" && /partition_size:/ { sub(/0x[0-9a-fA-F]+/, "0x2345000") }
    row == "lk2" && /file_name:/ { sub(/lk\.img/, "lk2.img") }
    row == "nvram" && /is_download:/ { sub(/false/, "true") }
    row == "system" && /type:/ { sub(/EXT4_IMG/, "NORMAL_ROM") }
    { print }' "$STOCK_DIR/MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt" > ours.txt
  run "$HARNESS/stock-match" --compare "$STOCK_DIR/MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt" ours.txt
  assert_failure 1
  assert_line --regexp ' emmc +layout +390/392 +policy +255/258 +critical 2 +identical no '
  assert_line '  layout header block_size 0x20000 0x80000'
  assert_line --regexp '^  layout boot partition_size 0x[0-9a-f]+ 0x2345000$'
  assert_line '  policy lk2 file_name lk.img lk2.img'
  assert_line '  policy nvram is_download false true critical'
  assert_line '  policy system type EXT4_IMG NORMAL_ROM critical'
  [ "$(grep -c '^  \(layout\|policy\) ' <<<"$output")" = 5 ]
}

@test "stock-match --compare: a missing row and an extra row are differences; XML is read field by field" {
  need_stock MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml
  cd "$BATS_TEST_TMPDIR"
  # The XML sample with frp renamed frp2 (a row gone, a row added) and one address changed.
  sed -e 's|<partition_name>frp</partition_name>|<partition_name>frp2</partition_name>|' \
      -e '0,/<linear_start_addr>0x88000</s||<linear_start_addr>0x90000<|' \
      "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml" > ours.xml
  run "$HARNESS/stock-match" --compare "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml" ours.xml
  assert_failure 1
  assert_line '  layout frp (row) present (none)'
  assert_line '  layout frp2 (row) (none) present'
  assert_line '  layout para linear_start_addr 0x88000 0x90000'
}

@test "stock-fields reads p325a's XML scatter as the same rows as its text twin (TESTING.md: the same 57 rows)" {
  need_stock MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml
  run "$HARNESS/stock-match" --compare "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt" \
    "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml"
  assert_success
  assert_line --regexp ' emmc +layout +518/518 +policy +342/342 +critical 0 +identical no '
  run "$HARNESS/stock-fields" "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml"
  [ "$(grep -c $'\tpartition_name\t' <<<"$output")" = 57 ]
}

# The GPT of a built readback, by sfdisk (at 4096 through a read-only loop device): "name start size".
gpt_rows() {  # DUMP SECTOR_SIZE
  local dev=$1 loop=""
  if [ "$2" = 4096 ]; then loop=$(losetup -f --show -r -b 4096 "$1"); dev=$loop; fi
  sfdisk -J "$dev" | jq -r '.partitiontable | .sectorsize as $s | .partitions[] | "\(.name) \(.start * $s) \(.size * $s)"'
  [ -z "$loop" ] || losetup -d "$loop"
}

# The stock rows a GPT holds (not the boot areas, pgpt, sgpt): "name start size", addresses as
# numbers, a tail row's start as 0xFFFFnnnn.
stock_rows() {  # FILE SECTION
  "$HARNESS/stock-fields" "$1" | awk -F'\t' -v s="$2" '
    $1 == s && $2 > 0 { f[$2, $3] = $4; if ($2 > n) n = $2 }
    END { for (r = 1; r <= n; r++) {
      if (f[r, "region"] !~ /USER|LU2/ || f[r, "partition_name"] ~ /^(pgpt|sgpt)$/) continue
      print f[r, "partition_name"], f[r, "linear_start_addr"], f[r, "partition_size"] } }'
}

# readback_matches FILE STORAGE SECTOR: the GPT holds every stock row at its offset and size, the
# tail rows (0xFFFFnnnn) where their encoding says (floor(distance to the end / block_size)).
readback_matches() {
  local file=$1 storage=$2 ss=$3 block name start size gname gstart gsize device
  cd "$BATS_TEST_TMPDIR"
  run "$HARNESS/stock-readback" --storage "$storage" "$STOCK_DIR/$file" rb
  assert_success
  refute_output --partial warning
  device=$(sed -n 's/^device_size=//p' <<<"$output")
  [ "$(stat -c %s rb/"$([ "$storage" = emmc ] && echo USER || echo LU2)")" = "$device" ]
  block=$(( $("$HARNESS/stock-fields" "$STOCK_DIR/$file" | awk -F'\t' -v s="${storage^^}" '$1 == s && $2 == 0 && $3 == "block_size" { print $4 }') ))
  paste -d' ' <(stock_rows "$STOCK_DIR/$file" "${storage^^}") \
              <(gpt_rows rb/"$([ "$storage" = emmc ] && echo USER || echo LU2)" "$ss") > pairs
  [ -s pairs ]
  while read -r name start size gname gstart gsize; do
    [ "$name" = "$gname" ] || fail "GPT entry $gname where the stock file has $name"
    [ $((size)) = "$gsize" ] || fail "$name: size $gsize, stock $size"
    if [[ ${start^^} == 0XFFFF* ]]; then
      [ "$(printf '0xffff%04x' $(( (device - gstart) / block )))" = "${start,,}" ] || fail "$name at $gstart: not $start"
    else
      [ $((start)) = "$gstart" ] || fail "$name: start $gstart, stock $start"
    fi
  done < pairs
  [ "$(wc -l < pairs)" = "$(gpt_rows rb/"$([ "$storage" = emmc ] && echo USER || echo LU2)" "$ss" | wc -l)" ]
}

@test "stock-readback: eMMC USER holds lenovo_ksu's rows at their offsets (sfdisk), the tail laid back from the end" {
  need_stock MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt
  readback_matches MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt emmc 512
  # sgpt 0x4200: the backup GPT in the device's last 33 sectors, the usable area ending at it
  sgdisk -v rb/USER | grep -q 'No problems found'
}

@test "stock-readback: UFS LU2 holds MT6781's rows at 4096-byte sectors, no loop device left" {
  need_stock MT6781_Android_scatter__V2.1.0_emmc_ufs.txt
  readback_matches MT6781_Android_scatter__V2.1.0_emmc_ufs.txt ufs 4096
  [ -z "$(losetup -j rb/LU2)" ]
  # LU0: the UFS_BOOT header, the GFH at 0x1000 (MODERN.md 3)
  [ "$(head -c 8 rb/LU0)" = UFS_BOOT ]
  [ "$(dd if=rb/LU0 bs=1 skip=$((0x1000)) count=3 status=none)" = MMM ]
}

@test "stock-readback: contents as on the phone (preloader name and build path, build.prop, boot image, boot_ctrl, shared files)" {
  need_stock MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  cd "$BATS_TEST_TMPDIR"
  run "$HARNESS/stock-readback" --slot b "$STOCK_DIR/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt" rb
  assert_success
  assert_line slot=b
  [ "$(bl-strip --name rb/BOOT1)" = preloader_p325a.bin ]
  grep -aq 'bootloader/preloader/platform/mt6768/src/core/download.c' rb/BOOT1
  cmp rb/BOOT1 rb/BOOT2
  local start size
  read -r start size < <(partition_range rb/USER boot_a)
  [ "$(dd_range rb/USER "$start" 8)" = 'ANDROID!' ]
  # boot_b holds boot_a's bytes: a phone flashed with the stock package (boot.img on _a only)
  local s; read -r s _ < <(partition_range rb/USER boot_b)
  cmp <(dd_range rb/USER "$start" 1048576) <(dd_range rb/USER "$s" 1048576)
  # MediaTek's boot_ctrl at misc + 2048: magic 0x19191100 LE, version 1, slot b the higher priority
  read -r start size < <(partition_range rb/USER misc)
  [ "$(dd_range rb/USER $(( start + 2048 )) 8 | xxd -p)" = 001119190199c700 ]
  # userdata: an ext4 file system e2fsck accepts
  read -r start size < <(partition_range rb/USER userdata)
  e2fsck -fn "rb/USER?offset=$start" >/dev/null
}

@test "stock-readback: build.prop in system and vendor names the platform (the pipeline's source)" {
  need_stock MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt
  cd "$BATS_TEST_TMPDIR"
  "$HARNESS/stock-readback" "$STOCK_DIR/MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt" rb >/dev/null
  local start size
  read -r start size < <(partition_range rb/USER system)
  debugfs -R 'cat /system/build.prop' "rb/USER?offset=$start" 2>/dev/null | grep -qx 'ro.board.platform=mt6765'
  read -r start size < <(partition_range rb/USER vendor)
  debugfs -R 'cat /build.prop' "rb/USER?offset=$start" 2>/dev/null | grep -qx 'ro.board.platform=mt6765'
  # lk and lk2 ship as one lk.img: the same bytes
  read -r start size < <(partition_range rb/USER lk)
  read -r s _ < <(partition_range rb/USER lk2)
  cmp <(dd_range rb/USER "$start" 65536) <(dd_range rb/USER "$s" 65536)
}

@test "stock-readback: super holds a super made by lpmake (lpdump: 3 slots and empty _b on A/B, 2 without)" {
  source "$MTKFW_ROOT/tests/lib/super.bash"
  need_lp_peers
  need_stock MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  need_stock MT6765_Android_scatter__redmi_9a_dandelion_super.txt
  cd "$BATS_TEST_TMPDIR"
  local file slots start size
  for file in MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt:3 MT6765_Android_scatter__redmi_9a_dandelion_super.txt:2; do
    slots=${file#*:} file=${file%:*}
    rm -rf rb
    "$HARNESS/stock-readback" "$STOCK_DIR/$file" rb >/dev/null
    read -r start size < <(partition_range rb/USER super)
    # The metadata's device is the whole partition; lpdump reads the first MiBs (the rest is zeros).
    dd_range rb/USER "$start" $(( 8 << 20 )) > super.head
    run "$LP_BIN/lpdump" super.head
    assert_success
    assert_line "Metadata slot count: $slots"
    assert_line --regexp "^  Size: $size bytes$"
    if [ "$slots" = 3 ]; then assert_line "  Name: system_a"; assert_line "  Name: vendor_b"
    else assert_line "  Name: system"; assert_line "  Name: vendor"; fi
    # Small on disk: the dump keeps super's zeros as holes.
    [ $(( $(stat -c %b rb/USER) * $(stat -c %B rb/USER) )) -lt $(( 64 << 20 )) ]
  done
}

@test "stock-readback: a failure after the loop device is made detaches it and leaves no dump" {
  need_stock MT6781_Android_scatter__V2.1.0_emmc_ufs.txt
  cd "$BATS_TEST_TMPDIR"
  # A name sfdisk's script cannot carry (a double quote) fails sfdisk on the loop device.
  sed 's/partition_name: md_udc/partition_name: md"udc/' "$STOCK_DIR/MT6781_Android_scatter__V2.1.0_emmc_ufs.txt" > bad.txt
  run "$HARNESS/stock-readback" --storage ufs bad.txt rb
  assert_failure
  # No loop device on a file of this test (a count of all of them races the parallel tests
  # that make their own: ufs.bats, the scale bench).
  ! losetup -a | grep -F -- "$BATS_TEST_TMPDIR/"
  [ ! -e rb/LU2 ] && [ ! -e rb/LU0 ]
}

@test "stock-match: a file that is no scatter, an unknown option: usage errors" {
  cd "$BATS_TEST_TMPDIR"
  printf 'preloader 0x0\n' > ota.txt
  run "$HARNESS/stock-match" ota.txt
  assert_failure 2
  assert_output --partial 'not a scatter file'
  run "$HARNESS/stock-match" --bogus ota.txt
  assert_failure 2
}
