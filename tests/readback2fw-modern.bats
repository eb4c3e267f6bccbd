#!/usr/bin/env bats
# readback2fw on a modern (MT6768-like, A/B, eMMC) readback made by sgdisk, mkbootimg, mke2fs -d and
# boot1-image.py: --file-names partition|stock, stock pairs that differ, --slot, --spft v6 and
# --da, Checksum.ini of modern and V2.x scatters, the report's modern lines, readback.mk's
# settings.  Images are checked against dd's ranges of USER (sfdisk's offsets), sums against
# python, flash.xml by xmllint.

load test_helper
source "$MTKFW_ROOT/tests/lib/readback-modern.bash"

setup_file() {
  export SAME=$BATS_FILE_TMPDIR/same DIFF=$BATS_FILE_TMPDIR/diff
  modern_readback "$SAME"
  modern_readback "$DIFF" --lk2-differs --boot-ctrl b
  readback2fw -q --platform MT6768 --file-names stock "$SAME/Boot1" "$SAME/User" "$BATS_FILE_TMPDIR/stock"
}

setup() { cd "$BATS_TEST_TMPDIR"; STOCK=$BATS_FILE_TMPDIR/stock; }

# The bytes of partition NAME of DUMP (sfdisk's range, dd's copy), as an MD5.
range_md5() {  # DUMP NAME
  local start size
  read -r start size < <(partition_range "$1" "$2")
  dd_range "$1" "$start" "$size" | md5sum | cut -d' ' -f1
}
md5() { md5sum "$1" | cut -d' ' -f1; }

# "name<TAB>file_name<TAB>is_download" of each row of SCATTER.
rows_of() { scatter-gen --list "$1" | awk -F'\t' 'NR > 1 { print $3 "\t" $4 "\t" $5 }'; }

# "name<TAB>file" of the downloaded rows of the storage_type SECTION of a V2.x text SCATTER, read
# from the text by awk (not by our parser).
section_rows_of() {  # SCATTER SECTION
  awk -v want="$2" '
    /^- storage_type:/ { s = $3 }
    s == want && /partition_name:/ { name = $2 }
    s == want && /file_name:/ { file = $2 }
    s == want && /is_download: true/ { print name "\t" file }' <(tr -d '\r' < "$1")
}

# Checksum.ini's [CheckSum] lines, CR removed.
checksum_lines() { tr -d '\r' < "$1" | sed -n '/^\[CheckSum\]$/,/^\[/{/=/p}'; }
# byte_sum FILE (tests/lib/oracles.bash): SP Flash Tool's value for FILE, from python.

@test "--file-names partition: every downloaded partition its own image, each slot from its own bytes" {
  run readback2fw -q --platform MT6768 --file-names partition "$SAME/Boot1" "$SAME/User" fw
  assert_success
  local name
  for name in vbmeta_a vbmeta_b lk lk2 tee1 tee2 boot_a boot_b super; do
    assert_file_exists "fw/$name.img"
    assert_equal "$(md5 "fw/$name.img")" "$(range_md5 "$SAME/User" "$name")"
  done
  run rows_of fw/MT6768_Android_scatter.txt
  assert_line $'boot_b\tboot_b.img\ttrue'
  assert_line $'lk2\tlk2.img\ttrue'
  refute_output --partial $'\tboot.img\t'
}

@test "--file-names stock: _a rows get the unsuffixed name, _b rows none, equal pairs share one file" {
  run rows_of "$STOCK/MT6768_Android_scatter.txt"
  assert_line $'boot_a\tboot.img\ttrue'
  assert_line $'vbmeta_a\tvbmeta.img\ttrue'
  assert_line $'boot_b\tNONE\tfalse'
  assert_line $'vbmeta_b\tNONE\tfalse'
  assert_line $'lk\tlk.img\ttrue'
  assert_line $'lk2\tlk.img\ttrue'
  assert_line $'tee1\ttee.img\ttrue'
  assert_line $'tee2\ttee.img\ttrue'
  for f in boot_a.img boot_b.img lk2.img tee1.img tee2.img vbmeta_b.img; do assert_file_not_exists "$STOCK/$f"; done
  assert_equal "$(md5 "$STOCK/boot.img")" "$(range_md5 "$SAME/User" boot_a)"
  assert_equal "$(md5 "$STOCK/lk.img")" "$(range_md5 "$SAME/User" lk2)"
  run grep -c 'kept apart' "$STOCK/report.txt"
  assert_output 0
}

@test "--file-names stock: a pair whose bytes differ gets a file each, and the report says why" {
  run readback2fw -q --platform MT6768 --file-names stock "$DIFF/Boot1" "$DIFF/User" fw
  assert_success
  run rows_of fw/MT6768_Android_scatter.txt
  assert_line $'lk\tlk.img\ttrue'
  assert_line $'lk2\tlk2.img\ttrue'
  assert_line $'tee2\ttee.img\ttrue'   # the equal pair still shares
  assert_equal "$(md5 fw/lk.img)" "$(range_md5 "$DIFF/User" lk)"
  assert_equal "$(md5 fw/lk2.img)" "$(range_md5 "$DIFF/User" lk2)"
  # Where they first differ, from cmp on the fixture's own parts.
  local byte
  byte=$(cmp "$DIFF/parts/lk" "$DIFF/parts/lk2" | sed -E 's/.*differ: (byte|char) ([0-9]+).*/\2/')
  run grep -A1 '^stock file names kept apart:' fw/report.txt
  assert_line "  lk, lk2: each its own file instead of lk.img: their bytes differ in User (lk2 first differs from lk at byte $byte)"
}

@test "--slot b: the _a rows' files are slot b's bytes; --slot a: slot a's" {
  run readback2fw -q --platform MT6768 --file-names stock --slot b "$SAME/Boot1" "$SAME/User" b
  assert_success
  assert_equal "$(md5 b/boot.img)" "$(range_md5 "$SAME/User" boot_b)"
  assert_equal "$(md5 b/vbmeta.img)" "$(range_md5 "$SAME/User" vbmeta_b)"
  grep -qx "  boot.img  *4194304  *4194304  raw image of boot_b, for boot_a (slot b)" b/report.txt
  grep -qx "the _a rows' files hold slot b's bytes (from --slot b); the _b rows are not downloaded" b/report.txt
  run readback2fw -q --platform MT6768 --file-names stock --slot a "$SAME/Boot1" "$SAME/User" a
  assert_success
  assert_equal "$(md5 a/boot.img)" "$(range_md5 "$SAME/User" boot_a)"
  [ "$(md5 a/boot.img)" != "$(md5 b/boot.img)" ]
  # Checksum.ini's boot_a line is the sum of the file shipped.
  run checksum_lines b/Checksum.ini
  assert_line "boot_a=$(byte_sum b/boot.img)"
}

@test "--slot active: the slot misc's boot_ctrl names (gpt-list's slot= fact)" {
  run readback2fw -q --platform MT6768 --file-names stock "$DIFF/Boot1" "$DIFF/User" fw
  assert_success
  grep -qx "active slot: b (from MediaTek boot_ctrl at offset 2048 of misc)" fw/report.txt
  assert_equal "$(md5 fw/boot.img)" "$(range_md5 "$DIFF/User" boot_b)"
}

@test "report: storage, generation, scatter, active slot unknown, the modes' partitions, the AVB notes" {
  local r=$STOCK/report.txt version
  grep -qx "storage:  emmc" "$r"
  grep -qE '^generation: [^ ]+ \(MT6768\): config_version V[0-9]+\.[0-9]+\.[0-9]+, [0-9]+ keys per row, storage sections [A-Z,]+, (txt|xml) \(from .+\)$' "$r"
  version=$(grep -m1 -o 'V[0-9]*\.[0-9]*\.[0-9]*' "$STOCK/MT6768_Android_scatter.txt")
  grep -qx "scatter: $version txt" "$r"
  grep -qx "active slot: unknown: misc holds no boot control block" "$r"
  grep -qx "the _a rows' files hold slot a's bytes (from slot a: the active slot is unknown); the _b rows are not downloaded" "$r"
  run sed -n '/^partitions each mode writes:/,/^$/p' "$r"
  assert_line --regexp '^  every mode: +preloader, vbmeta_a, lk, lk2, tee1, tee2, boot_a, super, userdata$'
  assert_line --regexp '^  FIRMWARE UPGRADE also erases: misc, vbmeta_b, boot_b$'
  run sed -n '/^vbmeta\/AVB/,/^$/p' "$r"
  assert_line "vbmeta/AVB (vbmeta_a, vbmeta_b):"
  assert_output --partial "AVB footers and hashtrees live at the end"
  assert_output --partial "rollback indexes live in the RPMB partition"
}

@test "report: a phone without _a/_b rows is not an A/B phone; no AVB block without vbmeta" {
  mtk_dump User
  python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" Boot1 pl.bin --name preloader_old6752.bin
  run readback2fw -q --platform MT6752 Boot1 User fw
  assert_success
  grep -qx "active slot: not an A/B phone" fw/report.txt
  run grep -c '^vbmeta/AVB\|_a rows' fw/report.txt
  assert_output 0
}

@test "Checksum.ini: one line per downloaded row in scatter order, _a keys, sums of the files written" {
  run checksum_lines "$STOCK/Checksum.ini"
  assert_equal "$(cut -d= -f1 <<<"$output" | tr '\n' ' ')" "preloader vbmeta_a lk lk2 tee1 tee2 boot_a super userdata "
  local key file
  while IFS=$'\t' read -r key file; do
    assert_line "$key=$(byte_sum "$STOCK/$file")"
  done < <(printf '%s\t%s\n' preloader preloader_k68v1_64.bin vbmeta_a vbmeta.img lk lk.img lk2 lk.img \
             tee2 tee.img boot_a boot.img super super.img userdata userdata.img)
  (cd "$STOCK" && fw-checksum -q -c Checksum.ini)
}

@test "fw-checksum on a V2.1.0 scatter: the lines of one storage section (--storage, any case), in its order" {
  local ref
  ref=$(reference_dir) || skip "no reference samples"
  cp "$ref/scatter/MT6781_Android_scatter__V2.1.0_emmc_ufs.txt" MT6781_Android_scatter.txt
  section_rows() { section_rows_of MT6781_Android_scatter.txt "$1"; }
  local name file i=0
  while IFS=$'\t' read -r name file; do
    [ -e "$file" ] || head -c $(( 1000 + 37 * i++ )) /dev/urandom > "$file"
  done < <(section_rows UFS; section_rows EMMC)
  for storage in ufs EMMC; do
    fw-checksum --storage "$storage" -o Checksum.ini MT6781_Android_scatter.txt
    run checksum_lines Checksum.ini
    assert_equal "$(cut -d= -f1 <<<"$output")" "$(section_rows "${storage^^}" | cut -f1)"
    while IFS=$'\t' read -r name file; do assert_line "$name=$(byte_sum "$file")"; done < <(section_rows "${storage^^}")
    fw-checksum -q -c Checksum.ini --storage "$storage"
  done
  run --separate-stderr fw-checksum --storage nand MT6781_Android_scatter.txt
  assert_failure 2
}

@test "--scatter-version V2.1.0: EMMC and UFS sections; images, Checksum.ini and checks of the dumps' storage" {
  modern_readback ufs --ufs
  local dump storage name file start size
  for storage in emmc ufs; do
    if [ "$storage" = emmc ]; then dump=$SAME; else dump=$PWD/ufs; fi
    run readback2fw -q --platform MT6768 --file-names stock --scatter-version V2.1.0 "$dump/Boot1" "$dump/User" "fw-$storage"
    assert_success
    grep -qx "storage:  $storage" "fw-$storage/report.txt"
    grep -qx "scatter: V2.1.0 txt" "fw-$storage/report.txt"
    run checksum_lines "fw-$storage/Checksum.ini"
    assert_equal "$(cut -d= -f1 <<<"$output")" "$(section_rows_of "fw-$storage/MT6768_Android_scatter.txt" "${storage^^}" | cut -f1)"
    while IFS=$'\t' read -r name file; do
      assert_line "$name=$(byte_sum "fw-$storage/$file")"
    done < <(section_rows_of "fw-$storage/MT6768_Android_scatter.txt" "${storage^^}")
    read -r start size < <(any_partition_range "$dump/User" boot_a)
    assert_equal "$(md5 "fw-$storage/boot.img")" "$(dd_range "$dump/User" "$start" "$size" | md5sum | cut -d' ' -f1)"
  done
}

@test "--spft v6 without --da: the XML scatter, flash.xml naming it, and a warning saying what is missing" {
  run --separate-stderr readback2fw --platform MT6768 --file-names stock --spft v6 "$SAME/Boot1" "$SAME/User" fw
  assert_success
  assert_file_exists fw/MT6768_Android_scatter.xml
  assert_file_not_exists fw/MT6768_Android_scatter.txt
  assert_equal "$(xmllint --xpath 'string(/flash-mode/scatter)' fw/download_agent/flash.xml)" "../MT6768_Android_scatter.xml"
  assert_equal "$(xmllint --xpath 'string(/flash-mode/dagent)' fw/download_agent/flash.xml)" "DA_BR.bin"
  assert_equal "$(xmllint --xpath 'string(/flash-mode/project)' fw/download_agent/flash.xml)" "k68v1_64"
  assert_file_exists fw/download_agent/../MT6768_Android_scatter.xml
  assert_file_not_exists fw/download_agent/DA_BR.bin
  assert_file_not_exists fw/download_agent/scatter_checksum.xml
  assert_file_not_exists fw/scatter_checksum.xml
  [[ $stderr == *"readback2fw: warning: download_agent/DA_BR.bin and download_agent/flash.xsd are missing"*"stock SP Flash Tool v6 package"*"--da DIR"* ]]
  grep -q "MISSING: download_agent/DA_BR.bin, download_agent/flash.xsd" fw/report.txt
  # -c finds the .xml scatter beside Checksum.ini.
  (cd fw && fw-checksum -q -c Checksum.ini)
}

# A vendor download_agent folder: a DA (random bytes) and a schema of flash.xml's shape.
vendor_da() {  # DIR
  mkdir -p "$1"
  head -c 70000 /dev/urandom > "$1/DA_BR.bin"
  cat > "$1/flash.xsd" <<'XSD'
<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="flash-mode">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="project" type="xs:string"/>
        <xs:element name="dagent" type="xs:string"/>
        <xs:element name="scatter" type="xs:string"/>
        <xs:element name="version" type="xs:string"/>
        <xs:element name="arch" type="xs:string"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
XSD
}

@test "--spft v6 --da DIR: DA_BR.bin and flash.xsd copied byte for byte, flash.xml valid against the schema" {
  vendor_da da
  run --separate-stderr readback2fw --platform MT6768 --file-names stock --spft v6 --da da "$SAME/Boot1" "$SAME/User" fw
  assert_success
  cmp da/DA_BR.bin fw/download_agent/DA_BR.bin
  cmp da/flash.xsd fw/download_agent/flash.xsd
  xmllint --noout --schema fw/download_agent/flash.xsd fw/download_agent/flash.xml
  [[ $stderr != *"missing"* ]]
  # A schema flash.xml does not fit: SP Flash Tool v6 would refuse it, so does readback2fw.
  sed -i 's|<xs:element name="arch" type="xs:string"/>|&<xs:element name="contact" type="xs:string"/>|' da/flash.xsd
  run --separate-stderr readback2fw --platform MT6768 --file-names stock --spft v6 --da da "$SAME/Boot1" "$SAME/User" fw2
  assert_failure 1
  [[ $stderr == *"readback2fw: error: download_agent/flash.xml: xmllint rejects it against da/flash.xsd"* ]]
  assert_file_not_exists fw2/Checksum.ini
}

@test "the modern options' misuse: usage errors (2), a DA folder without the vendor's files (1)" {
  local u=("$SAME/Boot1" "$SAME/User" fw)
  for args in "--file-names short" "--slot c --file-names stock" "--slot b" "--format yaml" "--spft v7" \
              "--da . --file-names stock" "--spft v6 --format txt" "--scatter-version 1.1.8"; do
    # shellcheck disable=SC2086
    run --separate-stderr readback2fw --platform MT6768 $args "${u[@]}"
    [ "$status" = 2 ] || fail "$args: exit $status ($stderr)"
    [[ $stderr == "readback2fw: error: --"* ]] || fail "$args: $stderr"
  done
  mkdir da && head -c 10 /dev/zero > da/flash.xsd
  run --separate-stderr readback2fw --platform MT6768 --spft v6 --da da "${u[@]}"
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: --da da: no DA_BR.bin there: copy the download_agent folder of the phone's stock SP Flash Tool v6 package (it holds DA_BR.bin flash.xsd)"
  assert_file_not_exists fw
  # --slot b on a phone with no _a/_b rows.
  mtk_dump User
  python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" Boot1 pl.bin --name preloader_old6752.bin
  run --separate-stderr readback2fw --platform MT6752 --file-names stock --slot b Boot1 User fw
  assert_failure 1
  [[ $stderr == *"--slot b: User has no _a/_b partitions (not an A/B phone)"* ]]
}

@test "readback.mk with FILE_NAMES=stock SLOT=b SPFT=v6 DA= makes readback2fw's folder" {
  vendor_da da
  readback2fw -q --platform MT6768 --file-names stock --slot b --spft v6 --da da "$SAME/Boot1" "$SAME/User" fw
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -f "$MTKFW_ROOT/scripts/readback.mk" \
    BOOT1="$SAME/Boot1" USER="$SAME/User" OUT=mk PLATFORM=MT6768 FILE_NAMES=stock SLOT=b SPFT=v6 DA=da
  diff -r -x .mtkfw fw mk
  assert_equal "$(md5 mk/boot.img)" "$(range_md5 "$SAME/User" boot_b)"
}

@test "--force over an earlier v6 folder replaces its download_agent files and keeps others there" {
  vendor_da da
  readback2fw -q --platform MT6768 --file-names stock --spft v6 "$SAME/Boot1" "$SAME/User" fw
  echo mine > fw/download_agent/notes.txt
  run --separate-stderr readback2fw --force --platform MT6768 --file-names stock --spft v6 --da da "$SAME/Boot1" "$SAME/User" fw
  assert_success
  cmp da/DA_BR.bin fw/download_agent/DA_BR.bin
  assert_equal "$(cat fw/download_agent/notes.txt)" mine
}
