#!/usr/bin/env bats
# readback2fw --template on legacy MT65xx readbacks (MBR/EBR chain, no GPT; MODERN.md 5): the wiko
# s4050ap MT6572 user area built from its real MBR and EBR1 sectors with ext4 file systems made by
# mke2fs -d at their table offsets and boot images by mkbootimg, named by its real stock V1.1.1
# scatter; and an MT6582 layout (EBR1 -> EBR2) laid out by ptgen's rules from the real zh960 stock
# scatter.  Oracles: the real sectors (cmp), the stock scatters' own rows (scatter-gen --list of the
# untouched file), simg2img + e2fsck -fn, sfdisk -J, fw-checksum -c.

load test_helper
source "$MTKFW_ROOT/tests/lib/legacy.bash"

setup_file() {
  command -v simg2img >/dev/null || skip "simg2img not found (Debian package android-sdk-libsparse-utils)"
  export RB=$BATS_FILE_TMPDIR/rb FW=$BATS_FILE_TMPDIR/fw
  wiko_readback "$RB"
  readback2fw -q --template "$(wiko_template)" "$RB/Boot1" "$RB/User" "$FW"
}

setup() { cd "$BATS_TEST_TMPDIR"; }

# The stock scatter's rows: name, file, is_download, type, linear, size (scatter-gen --list of the
# untouched stock file; its V1.x storage_type column is empty).
stock_rows() { scatter-gen --list "$1" | tail -n +2 | cut -f3-7,9; }

@test "the wiko MT6572 folder: the stock scatter's layout, the real MBR and EBR1 sectors, every row's bytes" {
  # Every field of every row but physical_start_addr equals the stock scatter's; that one is the
  # user-area offset, linear - 0xc00000 (the stock file has 0x0 there: MODERN.md 5.2).
  diff <(scatter-gen --list "$(wiko_template)" | cut -f1-7,9-) <(scatter-gen --list "$FW/MT6572_Android_scatter.txt" | cut -f1-7,9-)
  grep -q 'config_version: V1.1.1' "$FW/MT6572_Android_scatter.txt"
  ref=$(legacy_ref)
  cmp "$FW/MBR" "$ref/mbr_wiko_s4050ap/MBR"
  cmp "$FW/EBR1" "$ref/mbr_wiko_s4050ap/EBR1"
  cmp "$FW/preloader_s4050ap.bin" "$RB/preloader.bin"
  # Every downloaded row's file holds the dump's bytes at the stock row's linear - 0xC00000:
  # raw rows whole, the ext4 ones expanded by simg2img (free blocks of a fresh mke2fs are zero).
  local name file dl type linear size checked=0
  while IFS=$'\t' read -r name file dl type linear size; do
    [ "$dl" = true ] && [ "$type" != SV5_BL_BIN ] || continue
    case $name in
      MBR|EBR1) continue ;;
      ANDROID|CACHE|USRDATA)
        [ "$(od -An -tx4 -N4 "$FW/$file" | tr -d ' ')" = ed26ff3a ]   # sparse, as stock ships them
        simg2img "$FW/$file" expanded
        run e2fsck -fn expanded
        assert_success
        file=expanded ;;
    esac
    [ "$(stat -c %s "$FW/$file" 2>/dev/null || stat -c %s "$file")" = $((size)) ]
    cmp -n $((size)) -i "0:$((linear - 0xC00000))" "$( [ "$file" = expanded ] && echo expanded || echo "$FW/$file")" "$RB/User"
    rm -f expanded
    checked=$((checked + 1))
  done < <(stock_rows "$(wiko_template)")
  [ "$checked" -eq 15 ]   # PRO_INFO .. USRDATA
  # The file systems keep their files (the template's ANDROID is mke2fs's "android").
  simg2img "$FW/system.img" system.raw
  debugfs -R 'cat /build.prop' system.raw 2>/dev/null | grep -q '^ro.mediatek.platform=MT6572$'
  # SP Flash Tool's Checksum.ini, checked by the checker; the report says where the layout came from.
  fw-checksum -c "$FW/Checksum.ini" "$FW/MT6572_Android_scatter.txt"
  grep -q '^platform: MT6572 (from the template (MT6572_Android_scatter.txt))$' "$FW/report.txt"
  grep -q 'USER.s MBR/EBR chain matches the template row by row' "$FW/report.txt"
  grep -q 'physical_start_addr set to linear_start_addr - 0xc00000' "$FW/report.txt"
  grep -q 'pro_info, nvram.bin, protect_f, protect_s: this phone.s own IMEI and calibration (the template downloads them)' "$FW/report.txt"
}

@test "sfdisk -J of the readback agrees with gpt-list --json; the raw rows are listed apart" {
  sfdisk -J "$RB/User" 2>/dev/null | jq -c '.partitiontable.partitions[] | select(.type == "83") | [.start, .size]' > sfdisk
  gpt-list --json --template "$(wiko_template)" "$RB/User" 2>/dev/null > ours.json
  jq -c '.partitiontable.partitions[] | select(.type == "83") | [.start, .size]' ours.json > ours
  # sfdisk reads one entry per EBR (USRDATA, EBR1's second, it ignores): each of its rows is ours.
  [ "$(wc -l < sfdisk)" -eq 4 ]
  while read -r row; do grep -qxF "$row" ours; done < sfdisk
  [ "$(jq -r '[.partitiontable.raw_partitions[].name] | join(",")' ours.json)" = \
    "MBR,PRO_INFO,NVRAM,SECCFG,UBOOT,BOOTIMG,RECOVERY,SEC_RO,MISC,LOGO,EXPDB" ]
  [ "$(jq -r '.partitiontable.raw_partitions[] | select(.name == "BOOTIMG") | "\(.start_bytes) \(.content)"' ours.json)" = \
    "$((0x2980000 - 0xC00000)) android-boot" ]
}

@test "readback.mk with TEMPLATE= writes the same folder" {
  make -s -f "$MTKFW_ROOT/scripts/readback.mk" BOOT1="$RB/Boot1" USER="$RB/User" OUT=mk \
    TEMPLATE="$(wiko_template)" -j2 2>/dev/null
  diff <(cd "$FW" && ls) <(cd mk && ls)
  for f in "$FW"/*; do cmp "$f" "mk/${f##*/}"; done
}

@test "without --template an MBR/EBR readback is refused, saying what to give; nothing is written" {
  run readback2fw "$RB/Boot1" "$RB/User" out
  assert_failure 1
  assert_output --partial "readback2fw: error: $RB/User holds an MBR/EBR table (a legacy MT65xx phone)"
  assert_output --partial 'readback2fw: hint: give --template STOCK_SCATTER'
  [ ! -e out ]
  run make -s -f "$MTKFW_ROOT/scripts/readback.mk" BOOT1="$RB/Boot1" USER="$RB/User" OUT=mk
  assert_failure
  assert_output --partial 'give --template STOCK_SCATTER (TEMPLATE=)'
  [ ! -e mk/MT6572_Android_scatter.txt ]
}

@test "a template one sector off, or another phone's, is refused naming the row; nothing is written" {
  awk '/partition_name: CACHE/ { c = 1 } c && /partition_size:/ { sub(/0x[0-9a-fA-F]+/, "0xe1ffe00"); c = 0 } { print }' \
    "$(wiko_template)" > off.txt
  run readback2fw --template off.txt "$RB/Boot1" "$RB/User" out
  assert_failure 1
  assert_output --partial 'readback2fw: error: off.txt: row CACHE: size 0xe1ffe00, but p5 (EBR1) has 0xe200000'
  [ ! -e out ]
  sed 's/platform: MT6572/platform: MT6582/' "$(wiko_template)" > other.txt
  run readback2fw --template other.txt "$RB/Boot1" "$RB/User" out
  assert_failure 1
  assert_output --partial "is a scatter of MT6582 but $RB/Boot1's preloader was built for MT6572"
  [ ! -e out ]
  # A GPT readback takes no template; the layout options make no sense with one.
  mksample --system-size 48 --userdata-size 64 --system-data 8 gpt >/dev/null 2>&1
  run readback2fw --template "$(wiko_template)" gpt/Boot1 gpt/User out
  assert_failure 2
  assert_output --partial '--template: the dump has a GPT'
  run readback2fw --template "$(wiko_template)" --scatter-version V1.1.2 "$RB/Boot1" "$RB/User" out
  assert_failure 2
  assert_output --partial '--scatter-version (SCATTER_VERSION=) with --template (TEMPLATE=)'
  [ ! -e out ]
}

@test "a damaged EBR link is an error naming the table and slot, in readback2fw's voice" {
  cp --sparse=always "$RB/User" User
  poke User $((0x80000 + 510)) 0000   # EBR1 loses its 55 AA
  run readback2fw --template "$(wiko_template)" "$RB/Boot1" User out
  assert_failure 1
  assert_output --partial 'readback2fw: error: User: EBR1 at 0x80000: '
  assert_output --partial '(MBR slot 0 links to it: a damaged link?)'
  [ ! -e out ]
}

@test "the template never becomes an output: OUTDIR holding it under the scatter's name is refused" {
  mkdir out
  cp "$(wiko_template)" out/MT6572_Android_scatter.txt
  run readback2fw --force --template out/MT6572_Android_scatter.txt "$RB/Boot1" "$RB/User" out
  assert_failure 1
  assert_output --partial 'readback2fw: error: out/MT6572_Android_scatter.txt: it is the template (out/MT6572_Android_scatter.txt): readback2fw writes a file of that name there'
  cmp out/MT6572_Android_scatter.txt "$(wiko_template)"
}

@test "--skip USRDATA: the row stays in the scatter, not downloaded; no userdata.img; the report says so" {
  readback2fw -q --template "$(wiko_template)" --skip USRDATA "$RB/Boot1" "$RB/User" out
  [ ! -e out/userdata.img ]
  [ -e out/cache.img ]
  scatter-gen --list out/MT6572_Android_scatter.txt | awk -F'\t' '$3 == "USRDATA" { print $4, $5, $6 }' > row
  [ "$(cat row)" = "NONE false NONE" ]
  grep -qE '^  USRDATA +UPDATE \(skipped: --skip / SKIP=\)$' out/report.txt
  fw-checksum -c out/Checksum.ini out/MT6572_Android_scatter.txt
}

@test "an MT6582 layout with EBR2 (ptgen's rules, the real zh960 stock scatter): its layout as stock has it, EBR2's table" {
  local scatter
  scatter=$(reference_dir)/scatter/MT6582_Android_scatter__zh960_V1.1.1.txt
  [ -r "$scatter" ] || skip "no MT6582 zh960 stock scatter in the reference folder"
  ptgen_dump User "$scatter" PROTECT_F PROTECT_S SEC_RO CUSTOM ANDROID CACHE USRDATA
  python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" Boot1 pl.bin --size 0x400000 --name preloader_zh960.bin \
    --build-path /alps/bootable/bootloader/preloader/platform/mt6582/src/init.c
  run --separate-stderr readback2fw --template "$scatter" Boot1 User fw
  assert_success
  # A stock scatter's physical_start_addr is already linear - the MBR's: nothing to set.
  [[ "$stderr" != *physical_start_addr* ]]
  diff <(scatter-gen --list "$scatter") <(scatter-gen --list fw/MT6582_Android_scatter.txt)
  [ "$(diff <(tr a-f A-F < fw/MT6582_Android_scatter.txt) <(tr a-f A-F < "$scatter") | wc -l)" -eq 0 ]
  # The tables: 512 bytes each, at the stock rows' linear - 0x1400000.
  [ "$(stat -c %s fw/EBR2)" = 512 ]
  cmp fw/MBR <(head -c 512 User)
  cmp fw/EBR1 <(tail -c +$((0x80000 + 1)) User | head -c 512)
  cmp fw/EBR2 <(tail -c +$((0x6c00000 - 0x1400000 + 1)) User | head -c 512)
  # The rows stock does not download (PRO_INFO, NVRAM, PROTECT_F/S: type NONE) get no file.
  [ ! -e fw/nvram.bin ] && [ ! -e fw/pro_info ]
  [ -e fw/boot.img ] && [ -e fw/lk.bin ]
  fw-checksum -c fw/Checksum.ini fw/MT6582_Android_scatter.txt
}

@test "a template's boot-area row beside the preloader (MT6589's DSP_BL) is cut from BOOT1 at its address" {
  # The wiko template with a DSP_BL row in EMMC_BOOT_1 at 0x40000 (as MT6589 layouts have one) and
  # BOOT1 holding bytes there after the preloader.
  awk '/partition_index: SYS1$/ && !done {
      print "- partition_index: SYS1\n  partition_name: DSP_BL\n  file_name: DSP_BL\n  is_download: true\n  type: NORMAL_ROM"
      print "  linear_start_addr: 0x40000\n  physical_start_addr: 0x40000\n  partition_size: 0x100000\n  region: EMMC_BOOT_1"
      print "  storage: HW_STORAGE_EMMC\n  boundary_check: true\n  is_reserved: false\n  operation_type: BOOTLOADERS\n  reserve: 0x00\n"
      done = 1 }
    { print }' "$(wiko_template)" > dsp.txt
  grep -q 'partition_name: DSP_BL' dsp.txt
  cp "$RB/Boot1" Boot1
  head -c 300000 /dev/urandom | dd of=Boot1 bs=4096 seek=$((0x40000)) oflag=seek_bytes conv=notrunc status=none
  readback2fw -q --template dsp.txt Boot1 "$RB/User" out
  [ "$(stat -c %s out/DSP_BL)" = $((0x100000)) ]
  cmp out/DSP_BL <(tail -c +$((0x40000 + 1)) Boot1 | head -c $((0x100000)))
  cmp out/preloader_s4050ap.bin "$RB/preloader.bin"   # the preloader alone, its GFH length
  grep -qE '^  DSP_BL +1048576 +1048576  raw image of BOOT1.s range of DSP_BL$' out/report.txt
  fw-checksum -c out/Checksum.ini out/MT6572_Android_scatter.txt
  grep -q '^DSP_BL=0x' out/Checksum.ini
}

@test "a USER read back from linear 0x0 (the MBR at 0xC00000) gives the same firmware" {
  wiko_readback lin 0xC00000
  readback2fw -q --template "$(wiko_template)" lin/Boot1 lin/User fw
  # The same scatter, tables and images as a readback from the user area's start (the random
  # bytes of NVRAM, PRO_INFO, LOGO and the file systems differ: those files are compared with the
  # dump, at linear - 0xC00000 + 0xC00000).
  cmp fw/MT6572_Android_scatter.txt "$FW/MT6572_Android_scatter.txt"
  cmp fw/MBR "$FW/MBR"
  cmp fw/EBR1 "$FW/EBR1"
  cmp fw/nvram.bin <(tail -c +$((0x400000 + 0xC00000 + 1)) lin/User | head -c $((0x500000)))
  cmp fw/boot.img <(tail -c +$((0x1d80000 + 0xC00000 + 1)) lin/User | head -c $((0x1200000)))
  grep -q '"mbrstart": 24576' fw/partitions.json
  fw-checksum -c fw/Checksum.ini fw/MT6572_Android_scatter.txt
}
