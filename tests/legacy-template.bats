#!/usr/bin/env bats
# gpt-list --template: a stock V1.1.1 scatter names a legacy dump's MBR/EBR partitions, checked
# against the dump (real wiko MT6572 MBR/EBR1 and its real stock scatter; boot images by mkbootimg).

load test_helper
source "$MTKFW_ROOT/tests/lib/legacy.bash"

setup() {
  cd "$BATS_TEST_TMPDIR"
}

# The stock scatter with one field of one row changed: ROW KEY VALUE.
edited_template() {
  awk -v row="$1" -v key="$2" -v value="$3" '
    /partition_name:/ { current = $2 }
    current == row && $1 == key ":" { sub(/:.*/, ": " value) }
    { print }' "$(wiko_template)" > template
  ! cmp -s template "$(wiko_template)"
}

@test "the stock scatter names every table entry; sizes are the scatter's (USRDATA's real size)" {
  wiko_dump d
  wiko_boot_areas d
  run --separate-stderr gpt-list --json --template "$(wiko_template)" d
  assert_success
  [[ "$stderr" != *warning* ]]   # boot images and LK found where the template says
  jq -r '.partitiontable.partitions[] | "\(.index) \(.name) \(.size_bytes)"' <<< "$output" > rows
  cat > expected <<EOT
1 EBR1 $((0x80000))
2 PROTECT_F $((0xA00000))
3 PROTECT_S $((0xA00000))
4 ANDROID $((0x3E800000))
5 CACHE $((0xE200000))
6 USRDATA $((0x96000000))
EOT
  diff expected rows
  # The same names from a readback taken from linear 0x0 (MBR at 0xC00000).
  wiko_dump lin 0xC00000
  gpt-list --json --template "$(wiko_template)" lin 2>/dev/null | jq -r '.partitiontable.partitions[] | "\(.index) \(.name) \(.size_bytes)"' > rows-lin
  diff expected rows-lin
}

@test "a template one sector off is refused, naming the row or the entry" {
  wiko_dump d
  edited_template ANDROID linear_start_addr 0x5B40200
  run gpt-list --template template d
  assert_failure 1
  assert_output --partial 'template: no row starts where p4 (MBR) does (dump offset 0x4f40000, linear 0x5b40000): not this phone'
  edited_template CACHE partition_size 0xe1ffe00
  run gpt-list --template template d
  assert_failure 1
  assert_output --partial 'template: row CACHE: size 0xe1ffe00, but p5 (EBR1) has 0xe200000'
  edited_template MBR linear_start_addr 0xc00200   # every row one sector off
  run gpt-list --template template d
  assert_failure 1
  assert_output --partial 'no row starts where p1 (MBR)'
}

@test "the template's BOOTIMG, RECOVERY and UBOOT must hold a boot image and LK where it puts them" {
  wiko_dump d
  wiko_boot_areas d
  head -c 8 /dev/urandom | dd of=d bs=1 seek=$((0x3B80000 - 0xC00000)) conv=notrunc status=none
  run gpt-list --template "$(wiko_template)" d
  assert_failure 1
  assert_output --partial 'row RECOVERY: the dump at 0x2f80000 holds no boot image ("ANDROID!")'
  wiko_boot_areas d
  poke d $((0x2920000 - 0xC00000)) 00000000ff
  run gpt-list --template "$(wiko_template)" d
  assert_failure 1
  assert_output --partial 'row UBOOT: the dump at 0x1d20000 holds no LK header (0x58881688)'
}

@test "an erased boot area is a warning, a scatter without MBR row or a GPT dump an error" {
  wiko_dump d
  run --separate-stderr gpt-list --template "$(wiko_template)" d
  assert_success
  [[ "$stderr" == *"row BOOTIMG at dump offset 0x1d80000 is erased: its content was not checked"* ]]
  edited_template MBR partition_name MBX
  run gpt-list --template template d
  assert_failure 1
  assert_output --partial 'no MBR row: not the scatter of a phone with an MBR/EBR table'
  mtk_dump User
  run gpt-list --template "$(wiko_template)" User
  assert_failure 2
  assert_output --partial '--template: the dump has a GPT'
}

@test "scatter-gen --template writes the stock scatter's layout from the checked table (wiko: every field equal, physical = linear - MBR's)" {
  wiko_dump d
  gpt-list --tsv --template "$(wiko_template)" d 2>/dev/null > named.tsv
  run --separate-stderr scatter-gen --template "$(wiko_template)" -o ours.txt named.tsv
  assert_success
  # MTK Droid Tools wrote physical_start_addr 0x0 on every row (MODERN.md 5.2): ours is the
  # user-area offset, linear - 0xc00000, from MBR on; the boot area and BMTPOOL keep theirs.
  [[ "$stderr" == *"physical_start_addr set to linear_start_addr - 0xc00000 (the MBR row's) on EBR1, PRO_INFO,"*"the template has 0x0 there"* ]]
  scatter-gen --list ours.txt > ours.list
  scatter-gen --list "$(wiko_template)" > stock.list
  # Every field but physical_start (column 8) equal; that one linear - 0xc00000 where it changed.
  diff <(cut -f1-7,9- stock.list) <(cut -f1-7,9- ours.list)
  local checked=0 _ name linear physical region
  # (the empty storage_type column of V1.x vanishes: tab is white space to read)
  while IFS=$'\t' read -r _ name _ _ _ linear physical _ region _; do
    [ "$region" = EMMC_USER ] && [[ ${linear,,} != 0xffff* ]] || continue
    [ $((physical)) -eq $((linear - 0xc00000)) ] || { echo "row $name: physical $physical, linear $linear"; return 1; }
    checked=$((checked + 1))
  done < <(tail -n +2 ours.list)
  [ "$checked" -eq 17 ]   # MBR to USRDATA
  grep -q 'config_version: V1.1.1' ours.txt
  # The stock file mixes hex cases (0x3B80000 beside 0x3b80000); ours is its V1.1.1 form otherwise.
  [ "$(diff <(tr a-f A-F < ours.txt) <(tr a-f A-F < "$(wiko_template)") | grep -c '^<' )" -eq 16 ]
  # An unnamed table (gpt-list without --template) is checked the same way.
  gpt-list --tsv d 2>/dev/null | scatter-gen -q --template "$(wiko_template)" | cmp - ours.txt
}

@test "scatter-gen --template --skip: the row stays, not downloaded (file_name and type NONE, as ptgen writes it); a name it lacks is refused" {
  wiko_dump d
  gpt-list --tsv d 2>/dev/null > t.tsv
  scatter-gen -q --template "$(wiko_template)" --skip usrdata,CACHE -o ours.txt t.tsv
  scatter-gen --list ours.txt | awk -F'\t' '$3 == "USRDATA" || $3 == "CACHE" || $3 == "ANDROID" { print $3, $4, $5, $6, $7, $9 }' > rows
  cat > expected <<EOT
ANDROID system.img true YAFFS_IMG 0x5b40000 0x3e800000
CACHE NONE false NONE 0x44340000 0xe200000
USRDATA NONE false NONE 0x52540000 0x96000000
EOT
  diff expected rows
  run scatter-gen -q --template "$(wiko_template)" --skip FRP t.tsv
  assert_failure 2
  assert_output --partial "--skip: no row named 'FRP' in the template"
  run scatter-gen -q --template "$(wiko_template)" --skip preloader t.tsv
  assert_failure 2
  assert_output --partial 'PRELOADER is the preloader'
}

@test "scatter-gen --template refuses a table the template does not describe, naming the entry" {
  wiko_dump d
  gpt-list --tsv --template "$(wiko_template)" d 2>/dev/null > named.tsv
  awk -F'\t' -v OFS='\t' '$2 == "CACHE" { $3 += 512 } { print }' named.tsv > moved.tsv
  run scatter-gen --template "$(wiko_template)" moved.tsv
  assert_failure 1
  assert_output --partial 'no row starts where p5 does (dump offset 0x43740200, linear 0x44340200)'
  awk -F'\t' -v OFS='\t' '$2 == "CACHE" { $2 = "SYSTEM" } { print }' named.tsv > renamed.tsv
  run scatter-gen --template "$(wiko_template)" renamed.tsv
  assert_failure 1
  assert_output --partial 'row CACHE starts where p5 named SYSTEM does'
  mtk_dump User
  gpt-list --tsv User > gpt.tsv
  run scatter-gen --template "$(wiko_template)" gpt.tsv
  assert_failure 1
  assert_output --partial "the table is a GPT's"
  run scatter-gen --template "$(wiko_template)" --platform MT6572 named.tsv
  assert_failure 2
}

@test "scatter-gen without --template refuses an MBR/EBR table, saying what to give" {
  wiko_dump d
  gpt-list --tsv d 2>/dev/null > t.tsv
  run scatter-gen --platform MT6572 --project s4050ap t.tsv
  assert_failure 1
  assert_output --partial 'scatter-gen: error: t.tsv: an MBR/EBR table (a legacy MT65xx phone): it names no partition'
  assert_output --partial "scatter-gen: hint: give --template STOCK_SCATTER: the V1.1.1 scatter of this model's stock firmware"
}
