#!/usr/bin/env bats
# scatter-gen and the scatter parser (common/scatter.h), checked against the real samples in
# ../shared/reference/scatter/ (MediaTek ptgen.pl output and stock files) with an awk reader.

load test_helper
source "$MTKFW_ROOT/tests/lib/scatter-gen.bash"

P6000=$SCATTER_REF/MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
C4=$SCATTER_REF/MT6752_Android_scatter__sony_xperia_c4_callass__RECONSTRUCTED.txt

setup() { cd "$BATS_TEST_TMPDIR"; }

# --- the parser -------------------------------------------------------------------------------

@test "parser: reads every reference sample, every row and field as awk sees them" {
  need_reference MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  local n=0
  for f in "$SCATTER_REF"/*_Android_scatter_*.txt; do
    run scatter-gen --list "$f"
    assert_success
    [ $(( ${#lines[@]} - 1 )) -eq "$(grep -c 'partition_index:' "$f")" ]
    # column 1 is the V2.x storage section; the next 13 are the keys in file order
    diff <(scatter-gen --list "$f" | tail -n +2 | cut -f2-14 | tr A-Z a-z) <(scatter_fields "$f" | tr A-Z a-z)
    n=$((n + 1))
  done
  # the five samples this suite started with, and every one added to the folder since
  [ "$n" -ge 5 ]
}

@test "parser: V2.1.0 keeps the EMMC and UFS sections apart" {
  need_reference MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  f=$SCATTER_REF/MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  run scatter-gen --list "$f"
  assert_success
  [ "$(grep -c $'^EMMC\t' <<<"$output")" -eq "$(awk '/storage_type: UFS/{exit} /partition_index/{n++} END{print n}' "$f")" ]
  assert_line --partial $'UFS\tSYS1\tpgpt\tNONE\tfalse\tNORMAL_ROM\t0x0\t0x0\t0x8000\tUFS_LU2'
  assert_line --partial $'EMMC\tSYS44\tsgpt\tNONE\tfalse\tNORMAL_ROM\t0xFFFF0000\t0xFFFF0000\t0x8000'
}

@test "writer: MediaTek's own V1.1.2 files come back byte for byte (ptgen.pl output, MT6737M stock)" {
  need_reference MT6737M_Android_scatter__tecno_x5511B_rlk6737m_65_m0.txt
  for f in "$P6000" "$C4" "$SCATTER_REF"/MT6737M_Android_scatter_*.txt; do
    scatter-gen --reformat "$f" -o out.txt
    cmp out.txt "$f"
  done
}

@test "parser: CRLF files (edited on Windows) read the same; unknown keys are kept in place" {
  need_reference MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
  sed 's/$/\r/' "$P6000" > crlf.txt
  diff <(scatter-gen --list crlf.txt) <(scatter-gen --list "$P6000")
  scatter-gen --reformat crlf.txt | tr -d '\r' | cmp - "$P6000"
  # a key of a newer generator survives a rewrite, just before reserve
  sed '/partition_name: boot$/,/reserve:/s/^  reserve: 0x00$/  d_type: LOW_PAGE\n  reserve: 0x00/' "$P6000" > extra.txt
  [ "$(grep -c d_type extra.txt)" -eq 1 ]
  scatter-gen --reformat extra.txt | cmp - extra.txt
}

@test "parser: malformed scatter files are refused with the line" {
  need_reference SOURCES.md
  run scatter-gen --list "$SCATTER_REF/SOURCES.md"
  assert_failure 1
  assert_output --partial "line 3: expected 'key: value'"
  sed 's/is_download: true/is_download: yes/' "$P6000" > bad.txt
  run scatter-gen --list bad.txt
  assert_failure 1
  assert_output --regexp "bad.txt: line [0-9]+: is_download: expected true or false, got 'yes'"
  grep -v 'partition_size: 0x500000' "$P6000" > bad.txt
  run scatter-gen --list bad.txt
  assert_failure 1
  assert_output --partial "partition SYS3 (nvram, line"
  assert_output --partial "has no partition_size"
  run scatter-gen --list < /dev/null
  assert_failure 1
  assert_output --partial "empty scatter file"
  run scatter-gen --list --platform MT6752 "$P6000"
  assert_failure 2
  assert_output "scatter-gen: error: --platform: makes no sense with --reformat or --list"
}

@test "usage: each mode refuses, by name, the options it does not use" {
  refused() {  # MESSAGE ARGS...: exit 2 and exactly that error
    local message=$1; shift
    run scatter-gen "$@" < /dev/null
    assert_failure 2
    assert_output "scatter-gen: error: $message"
  }
  refused "--project: makes no sense with --reformat or --list" --list --project p "$P6000"
  refused "--storage: makes no sense with --reformat or --list" --reformat --storage ufs "$P6000"
  refused "--template: makes no sense with --reformat or --list" --reformat --template "$P6000" "$P6000"
  refused "--own-file: makes no sense with --describe" --describe --platform MT6752 --own-file boot
  refused "--template: makes no sense with --describe" --describe --platform MT6752 --template "$P6000"
  refused "--storage: makes no sense with --template: its layout is written" --template "$P6000" --storage ufs
  refused "--preloader-file: makes no sense with --template: its layout is written" --template "$P6000" --preloader-file p.bin
  # what a mode does use passes the check: --format with --reformat, --skip with --template
  run scatter-gen --reformat --format xml "$P6000"
  assert_success
  run scatter-gen --template "$P6000" --skip boot < /dev/null
  refute_output --partial "makes no sense"
}

# --- generation against the MT6752 references -------------------------------------------------

# compare_with_reference REF PROJECT: GPT dump laid out like REF (8 GiB user area), gpt-list |
# scatter-gen, then every field of every row must equal REF's.  Allowed differences, blanked:
# userdata's size (ptgen.pl's placeholder; on the phone userdata reaches flashinfo) - nothing else.
# tee1/tee2 share trustzone.bin through a policy file, as the stock build does.
compare_with_reference() {
  local ref=$1 project=$2
  gpt_dump_from_scatter "$ref" User $(( 8 << 30 ))
  printf 'tee1 UPDATE trustzone.bin\ntee2 UPDATE trustzone.bin   # one file for both, as stock\n' > policy
  gpt-list --tsv User 2>/dev/null | scatter-gen --platform MT6752 --project "$project" --policy policy -o out.txt 2>err
  blank='BEGIN{FS=OFS="\t"} $2=="userdata"{$8="(placeholder)"} {print}'
  diff <(scatter_fields out.txt | awk "$blank") <(scatter_fields "$ref" | awk "$blank")
  # the general block too: everything above the first partition
  diff <(sed '/partition_index/,$d' out.txt) <(sed '/partition_index/,$d' "$ref")
}

@test "generate: elephone P6000 (ptgen.pl reference) field by field" {
  need_reference MT6752_ota_scatter__elephone_p6000.txt
  compare_with_reference "$P6000" k01q_e
  # and the start column is the product's real ota_scatter.txt, line by line
  diff <(scatter_fields out.txt | cut -f2,6 | tr '\t' ' ') "$SCATTER_REF/MT6752_ota_scatter__elephone_p6000.txt"
  [ ! -s err ]
}

@test "generate: Sony Xperia C4 (ptgen.pl reference) field by field; its own names are INVISIBLE with a warning" {
  need_reference MT6752_ota_scatter__sony_xperia_c4_calla.txt
  compare_with_reference "$C4" callass
  diff <(scatter_fields out.txt | cut -f2,6 | tr '\t' ' ') "$SCATTER_REF/MT6752_ota_scatter__sony_xperia_c4_calla.txt"
  run cat err
  assert_output "scatter-gen: warning: no rule for ta, ltalabel, fotakernel, apps_log: written as INVISIBLE, not downloaded
scatter-gen: hint: name them in a --policy file to change that"
}

@test "generate: Lenovo P-70A, the seed blog's real GPT: exact starts and sizes, stock tail 0xFFFF0084/0xFFFF0004" {
  need_reference MT6752_ota_scatter__zte_run4g.txt
  p70a_dump User
  gpt-list --tsv User 2>/dev/null | scatter-gen --platform MT6752 --project p70a -o out.txt
  scatter_fields out.txt > rows
  # every GPT row: start and size exactly as parted printed them (flashinfo end-relative)
  diff <(awk -F'\t' 'NR>2 && $2!="sgpt" {print $2, $6, $8}' rows) \
       <(p70a_table | while read -r _ s e name; do printf '%s 0x%x 0x%x\n' "$name" "$s" $(( e - s + 1 )); done |
         sed 's/^flashinfo 0x[0-9a-f]*/flashinfo 0xFFFF0084/')
  run grep -P '^SYS21\tsgpt\tNONE\tfalse\tNORMAL_ROM\t0xFFFF0004\t0xFFFF0004\t0x80000\tEMMC_USER\tHW_STORAGE_EMMC\tfalse\ttrue\tRESERVED$' rows
  assert_success
  # the same stock layout as the ZTE Run 4G build up to system (real ota_scatter.txt)
  diff <(cut -f2,6 rows | tr '\t' ' ' | head -18) <(head -18 "$SCATTER_REF/MT6752_ota_scatter__zte_run4g.txt")
  # the seed blog's rules: flashinfo and sgpt are the only reserved rows; downloads as the blog lists
  [ "$(awk -F'\t' '$12=="true"' rows | cut -f2 | tr '\n' ' ')" = "flashinfo sgpt " ]
  [ "$(awk -F'\t' '$4=="true"' rows | cut -f2 | tr '\n' ' ')" = "preloader lk boot recovery secro logo tee1 tee2 system cache userdata " ]
}

@test "generate: tee1/tee2 get their own files by default; types follow the content gpt-list saw" {
  p70a_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  scatter-gen --platform MT6752 --project p70a table.tsv > out.txt
  scatter_fields out.txt > rows
  assert_equal "$(awk -F'\t' '$2 ~ /^tee/ {print $2, $3}' rows | tr '\n' ' ')" "tee1 tee1.img tee2 tee2.img "
  # ext4 exactly where mke2fs made one (the blog's P-70A secro is raw)
  assert_equal "$(awk -F'\t' '$5=="EXT4_IMG" {print $2}' rows | tr '\n' ' ')" "protect1 protect2 system cache userdata "
  assert_equal "$(grep -c $'\text4\t' table.tsv)" 5
}

@test "round trip: our output parses back to the same rows and is rewritten byte for byte" {
  p70a_dump User
  gpt-list --tsv User 2>/dev/null | scatter-gen --platform MT6752 --project p70a --download nvram -o out.txt 2>/dev/null
  scatter-gen --reformat out.txt | cmp - out.txt
  diff <(scatter-gen --list out.txt | tail -n +2 | cut -f2-14) <(scatter_fields out.txt)
  # LF only, 108-# banners, a blank line after every block, numbers 0x%x
  run grep -c $'\r' out.txt
  assert_output 0
  [ "$(head -1 out.txt)" = "$(printf '#%.0s' $(seq 108))" ]
  [ "$(grep -c '^$' out.txt)" -eq "$(grep -c partition_index out.txt)" ]
  run bash -c "grep -E '(start_addr|size): ' out.txt | grep -v -E ': 0xFFFF[0-9a-f]{4}$'"
  assert_line --partial "partition_size: 0x300580000"
  refute_output --regexp ': (0x0[0-9a-f]+|0x[0-9a-f]*[A-F][0-9a-fA-F]*|[0-9]+)$'
  [ "$(grep -c -E 'start_addr: 0xFFFF[0-9a-f]{4}$' out.txt)" -eq 4 ]
}

@test "--skip: the rows stay, not downloaded; a truncated table refuses a downloaded row past its end" {
  p70a_dump User
  gpt-list -q --tsv User > full.tsv
  scatter-gen -q --platform MT6752 --project p70a --skip userdata,boot full.tsv > skip.txt
  scatter-gen -q --platform MT6752 --project p70a full.tsv > all.txt
  diff <(scatter_fields all.txt | awk -F'\t' '$2 != "userdata" && $2 != "boot"') \
       <(scatter_fields skip.txt | awk -F'\t' '$2 != "userdata" && $2 != "boot"')
  assert_equal "$(grep -A3 'partition_name: userdata' skip.txt | grep -c -e 'file_name: NONE' -e 'is_download: false')" 2
  run scatter-gen -q --platform MT6752 --skip nosuch full.tsv
  assert_failure 2
  run scatter-gen -q --platform MT6752 --skip nvram --download nvram full.tsv
  assert_failure 2
  # The table of a readback cut inside userdata: refused, naming it; --skip userdata builds it.
  read -r start size < <(partition_range User userdata)
  head -c $((start + 4096)) User > cut
  gpt-list -q --tsv cut > cut.tsv
  run --separate-stderr scatter-gen -q --platform MT6752 cut.tsv
  assert_failure 1
  [[ "$stderr" == "scatter-gen: error: truncated readback: userdata would be downloaded"*"length 0x$(printf %X "$(stat -c %s User)")"* ]]
  # The user area is then the length the GPT gives, not the dump's: the same scatter as from the whole dump.
  cmp <(scatter-gen -q --platform MT6752 --project p70a --skip userdata full.tsv) \
      <(scatter-gen -q --platform MT6752 --project p70a --skip userdata cut.tsv)
}

@test "--preloader: row size from the GFH max_size, file name from MTK_BLOADER_INFO, project from it" {
  gfh_preloader pl.bin preloader_p70a_row.bin $((0x3c000))
  mtk_dump User
  gpt-list --tsv User 2>/dev/null | scatter-gen --platform MT6752 --preloader pl.bin > out.txt 2>err
  run grep -v 'no ext4 file system (zero)' err   # mtk_dump's file systems are zeros: written raw
  assert_output ""
  assert_equal "$(scatter_fields out.txt | head -1)" \
    "$(printf 'SYS0\tpreloader\tpreloader_p70a_row.bin\ttrue\tSV5_BL_BIN\t0x0\t0x0\t0x3c000\tEMMC_BOOT_1\tHW_STORAGE_EMMC\ttrue\tfalse\tBOOTLOADERS')"
  grep -qx '      project: p70a_row' out.txt
  # --project names the project; the file name stays the image's own
  gpt-list --tsv User 2>/dev/null | scatter-gen --platform MT6752 --project other --preloader pl.bin > out.txt
  grep -qx '      project: other' out.txt
  grep -qx '  file_name: preloader_p70a_row.bin' out.txt
  # a damaged image still names its file, with a warning
  flip_byte pl.bin 100
  run --separate-stderr scatter-gen --platform MT6752 --preloader pl.bin <(gpt-list --tsv User 2>/dev/null)
  assert_success
  assert_equal "$(grep -v 'no ext4 file system (zero)' <<<"$stderr")" "scatter-gen: warning: pl.bin: SHA-256 mismatch: the image is damaged"
  # cut short
  head -c 2000 pl.bin > short.bin
  run scatter-gen --platform MT6752 --preloader short.bin <(gpt-list --tsv User 2>/dev/null)
  assert_failure 1
  assert_output --partial "short.bin"
  # not a preloader image
  run scatter-gen --platform MT6752 --preloader User <(gpt-list --tsv User 2>/dev/null)
  assert_failure 1
  assert_output --partial "User: not a preloader image"
}

@test "--preloader-size and --preloader-file say what --preloader reads: the same scatter, no file read" {
  gfh_preloader pl.bin preloader_p70a_row.bin $((0x3c000))
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  scatter-gen -q --platform MT6752 --preloader pl.bin table.tsv > read.txt
  scatter-gen -q --platform MT6752 --preloader-size 0x3c000 --preloader-file preloader_p70a_row.bin table.tsv > said.txt
  cmp read.txt said.txt
  grep -qx '      project: p70a_row' said.txt
  # Each alone: the size keeps the default name, the name keeps the generation's size.
  scatter-gen -q --platform MT6752 --project p70a --preloader-size 0x20000 table.tsv > size.txt
  assert_equal "$(scatter_fields size.txt | head -1 | cut -f3,8)" "$(printf 'preloader_p70a.bin\t0x20000')"
  scatter-gen -q --platform MT6752 --preloader-file preloader.bin table.tsv > name.txt
  assert_equal "$(scatter_fields name.txt | head -1 | cut -f3)" preloader.bin
  grep -qx '      project: mt6752' name.txt
  run scatter-gen --platform MT6752 --preloader pl.bin --preloader-size 0x3c000 table.tsv
  assert_failure 2
  assert_output --partial "scatter-gen: error: --preloader-size: makes no sense with --preloader"
  run scatter-gen --platform MT6752 --preloader-file ../pl.bin table.tsv
  assert_failure 2
  assert_output --partial "--preloader-file: expected a plain file name"
  run scatter-gen --platform MT6752 --preloader-size 0 table.tsv
  assert_failure 2
  assert_output --partial "--preloader-size: expected the GFH max_size in bytes"
}

@test "the 64 MiB mtk_dump fixture: tail from the backup GPT position, flashinfo 16 blocks from the end" {
  mtk_dump User
  run scatter-gen --platform MT6752 --project demo <(gpt-list --tsv User 2>/dev/null)
  assert_success
  scatter_fields <(echo "$output") > rows
  assert_equal "$(awk -F'\t' '$2=="flashinfo" || $2=="sgpt" || $2=="pgpt" {print $2, $6, $8}' rows | tr '\n' ' ')" \
    "pgpt 0x0 0x80000 flashinfo 0xFFFF0010 0x17a000 sgpt 0xFFFF0004 0x80000 "
}

# --- options ----------------------------------------------------------------------------------

@test "--download nvram,proinfo: opted in with their own files, operation kept, a Format All warning" {
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  run --separate-stderr scatter-gen --platform MT6752 --project demo --download nvram,proinfo table.tsv
  assert_success
  [[ "$stderr" == "scatter-gen: warning: --download nvram,proinfo: "*"IMEI"*"'Format All + Download' erases every partition"* ]]
  scatter_fields <(echo "$output") > rows
  assert_equal "$(awk -F'\t' '$2=="nvram" || $2=="proinfo" {print $2, $3, $4, $13}' rows | tr '\n' ' ')" \
    "proinfo proinfo.img true PROTECTED nvram nvram.img true BINREGION "
  # without it they stay out of the download
  assert_equal "$(scatter-gen --platform MT6752 --project demo table.tsv | scatter_fields /dev/stdin | awk -F'\t' '$2=="nvram" {print $3, $4}')" "NONE false"
  run scatter-gen --platform MT6752 --project demo --download nvram,nosuch table.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --download: no partition named 'nosuch' in the table"
  run scatter-gen --platform MT6752 --project demo --download flashinfo table.tsv
  assert_failure 2
  assert_output --partial "flashinfo is reserved"
}

@test "--policy FILE overrides the built-in rules; a bad rule names its line" {
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  cat > policy <<'P'
# shared trustzone file and a downloaded flashinfo-free layout
system    UPDATE     sys.img  NORMAL_ROM
logo      INVISIBLE            # no longer downloaded
nvram     BINREGION  nv.bin
P
  scatter-gen --platform MT6752 --project demo --policy policy --download nvram table.tsv 2>/dev/null > out.txt
  scatter_fields out.txt > rows
  assert_equal "$(awk -F'\t' '$2=="system" || $2=="logo" || $2=="nvram" {print $2, $3, $4, $5, $13}' rows | tr '\n' ' ')" \
    "nvram nv.bin true NORMAL_ROM BINREGION logo NONE false NORMAL_ROM INVISIBLE system sys.img true NORMAL_ROM UPDATE "
  printf 'lk UPDATE lk.bin\nboot DOWNLOAD boot.img\n' > bad
  run scatter-gen --platform MT6752 --project demo --policy bad table.tsv
  assert_failure 1
  assert_output "scatter-gen: error: bad: line 2: unknown operation 'DOWNLOAD' (UPDATE, NEEDRESIZE, PROTECTED, BINREGION, INVISIBLE, RESERVED)"
  printf 'lk UPDATE lk.bin RAW\n' > bad
  run scatter-gen --platform MT6752 --project demo --policy bad table.tsv
  assert_failure 1
  assert_output --partial "line 1: unknown type 'RAW'"
}

@test "a table from a pipe: --device-size needed, content unchecked is said" {
  mtk_dump User
  run scatter-gen --platform MT6752 --project demo <(cat User | gpt-list --tsv 2>/dev/null)
  assert_failure 2
  assert_output --partial "--device-size: required: the table does not know the dump's length"
  run --separate-stderr scatter-gen --platform MT6752 --project demo --device-size 64M <(cat User | gpt-list --tsv 2>/dev/null)
  assert_success
  [[ "$stderr" == *"content unknown (the table came from a pipe): typed by name, as stock builds are: EXT4_IMG system, userdata; NORMAL_ROM lk, boot, recovery, logo"* ]]
  grep -q 'linear_start_addr: 0xFFFF0010' <<<"$output"
}

@test "--device-size moves the end-relative tail; --absolute-tail writes absolute addresses" {
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  # 1 MiB more user area: flashinfo is 24 blocks from the end, sgpt 12
  scatter-gen --platform MT6752 --project demo --device-size $(( 65 << 20 )) table.tsv | scatter_fields /dev/stdin > rows
  assert_equal "$(awk -F'\t' '$2=="flashinfo" || $2=="sgpt" {print $2, $6, $8}' rows | tr '\n' ' ')" \
    "flashinfo 0xFFFF0018 0x17a000 sgpt 0xFFFF000c 0x180000 "
  scatter-gen --platform MT6752 --project demo --absolute-tail table.tsv | scatter_fields /dev/stdin > rows
  assert_equal "$(awk -F'\t' '$2=="flashinfo" || $2=="sgpt" {print $2, $6, $7, $8, $11, $12}' rows | tr '\n' ' ')" \
    "flashinfo 0x3e00000 0x3e00000 0x17a000 false true sgpt 0x3f80000 0x3f80000 0x80000 false true "
}

# --- bad input: clear errors, no scatter written -------------------------------------------------

# no_scatter_for STATUS MESSAGE [HINT] -- ARGS: scatter-gen ARGS -o out.txt fails with STATUS and
# MESSAGE (and the line "scatter-gen: hint: HINT") and leaves no file (nor temporary) behind.
no_scatter_for() {
  local status=$1 message=$2 hint=; shift 2
  if [ "$1" != -- ]; then hint=$1; shift; fi
  shift
  run scatter-gen "$@" -o out.txt
  assert_failure "$status"
  assert_output --partial "$message"
  [ -z "$hint" ] || assert_line "scatter-gen: hint: $hint"
  assert_no_output_left . out.txt
}

@test "bad input: overlapping partitions" {
  tsv_table $((64 << 20)) 130047 boot 1048576 2097152 zero recovery 2097152 1048576 zero > t.tsv
  no_scatter_for 1 "scatter-gen: error: boot and recovery: overlap (0x100000+0x200000 and 0x200000+0x100000)" -- \
    --platform MT6752 --project x t.tsv
}

@test "bad input: a partition past the device size" {
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  no_scatter_for 1 "scatter-gen: error: userdata: ends at 0x3e00000 (65011712 bytes), past the end of the user area at 0x3000000 (50331648 bytes)" "check --device-size" -- \
    --platform MT6752 --project x --device-size 48M table.tsv
}

@test "bad input: an unaligned tail is refused (the 0xFFFF form would be lossy) unless --absolute-tail" {
  # flashinfo one sector later than a 128 KiB boundary from the end
  tsv_table $((64 << 20)) 130047 boot 1048576 1048576 zero flashinfo $(( (64 << 20) - 2097152 + 512 )) 1048576 zero > t.tsv
  no_scatter_for 1 "flashinfo: starts 0x1ffe00 (2096640 bytes) before the end of the user area, not a multiple of 0x20000: the end-relative form 0xFFFFnnnn cannot say where" "check --device-size, or write the absolute address with --absolute-tail" -- \
    --platform MT6752 --project x t.tsv
  run scatter-gen --platform MT6752 --project x --absolute-tail t.tsv
  assert_success
  assert_line "  linear_start_addr: 0x3e00200"
}

@test "bad input: a tail too far from the end for the 0xFFFF form is refused, with the flag that fixes it" {
  tsv_table $((16 << 30)) 33554431 boot 1048576 1048576 zero flashinfo 2097152 1048576 zero > t.tsv
  no_scatter_for 1 "scatter-gen: error: flashinfo: starts 0x3ffe00000 (17177772032 bytes) before the end of the user area: too far for the end-relative form 0xFFFFnnnn" "use --absolute-tail" -- \
    --platform MT6752 --project x t.tsv
}

@test "bad input: an absolute start that would read as end-relative" {
  tsv_table $((8 << 30)) 16776191 system $((0xFFFF0000)) 1048576 ext4 > t.tsv
  no_scatter_for 1 "system: starts at 0xffff0000, which a scatter file reads as an end-relative address" -- \
    --platform MT6752 --project x t.tsv
}

@test "bad input: names the scatter reserves, duplicate names" {
  tsv_table $((64 << 20)) 130047 pgpt 1048576 1048576 zero > t.tsv
  no_scatter_for 1 "pgpt: the scatter file reserves this name" -- --platform MT6752 --project x t.tsv
  tsv_table $((64 << 20)) 130047 boot 1048576 1048576 zero boot 2097152 1048576 zero > t.tsv
  no_scatter_for 1 "boot: two partitions have this name" -- --platform MT6752 --project x t.tsv
}

@test "bad input: a missing or malformed platform; no project is said and defaulted" {
  mtk_dump User
  gpt-list --tsv User 2>/dev/null > table.tsv
  no_scatter_for 2 "scatter-gen: error: platform: required" "give the chip with --platform (e.g. --platform MT6752)" -- --project x table.tsv
  no_scatter_for 2 "platform: expected MTxxxx, got '6752'" "give the chip with --platform (e.g. --platform MT6752)" -- --platform 6752 --project x table.tsv
  run --separate-stderr scatter-gen --platform MT6752 table.tsv
  assert_success
  assert_equal "$stderr" "scatter-gen: no --project and no project in a --preloader: project 'mt6752'
scatter-gen: warning: system: no ext4 file system (zero): written raw at full size, 20971520 bytes
scatter-gen: warning: userdata: no ext4 file system (zero): written raw at full size, 35651584 bytes"
  assert_line "      project: mt6752"
  assert_line "  file_name: preloader_mt6752.bin"
  run --separate-stderr scatter-gen -q --platform MT6752 table.tsv
  assert_success
  assert_equal "$stderr" ""
}

@test "bad input: an empty input (gpt-list failed upstream) and a table with no partitions" {
  run bash -c "gpt-list --tsv /dev/null 2>/dev/null | scatter-gen --platform MT6752 --project x -o out.txt"
  assert_failure 1
  assert_output "scatter-gen: error: standard input: empty partition table (did the command before this one fail?)"
  assert_no_output_left . out.txt
  tsv_table $((64 << 20)) 130047 > t.tsv
  no_scatter_for 1 "partition table: no partitions" -- --platform MT6752 --project x t.tsv
  scatter-gen --reformat "$MTKFW_ROOT/tests/scatter-gen.bats" 2>/dev/null && false
  printf 'proinfo 0x80000\nnvram 0x380000\n' > ota_scatter.txt
  no_scatter_for 1 "not an mtkfw partition table" -- --platform MT6752 --project x ota_scatter.txt
}

# fs_dump FILE: a 64 MiB dump (sgdisk) whose system, cache and userdata hold ext4 (mke2fs), with
# lk and boot beside them and an oem partition no built-in rule knows.
fs_dump() {
  truncate -s $(( (64 << 20) - 524288 + 33 * 512 )) "$1"
  sgdisk -o -a 1 -n 1:2048:3071 -c 1:lk -n 2:4096:8191 -c 2:boot -n 3:8192:49151 -c 3:system \
    -n 4:49152:65535 -c 4:cache -n 5:65536:98303 -c 5:oem -n 6:98304:126975 -c 6:userdata "$1" >/dev/null
  truncate -s $(( 64 << 20 )) "$1"
  for sector in 8192 49152 98304; do
    mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -E "offset=$(( sector * 512 )),nodiscard" "$1" 1024
  done
}

# The (name, type) of every downloaded row of scatter FILE.
downloaded_types() { scatter_fields "$1" | awk -F'\t' '$4 == "true" { print $2, $5 }'; }

@test "a table from a pipe: the file systems are EXT4_IMG by name, as from the file, never NORMAL_ROM" {
  fs_dump User
  gpt-list -q --tsv User > file.tsv
  grep -q $'\tsystem\t.*\text4\t' file.tsv
  scatter-gen -q --platform MT6752 --project demo file.tsv > from-file.txt
  run --separate-stderr bash -c 'cat User | gpt-list --tsv 2>/dev/null | scatter-gen --platform MT6752 --project demo --device-size 64M > from-pipe.txt'
  assert_success
  [ "$stderr" = "scatter-gen: warning: no rule for oem: written as INVISIBLE, not downloaded
scatter-gen: hint: name them in a --policy file to change that
scatter-gen: warning: content unknown (the table came from a pipe): typed by name, as stock builds are: EXT4_IMG system, cache, userdata; NORMAL_ROM lk, boot" ]
  run downloaded_types from-pipe.txt
  assert_output "preloader SV5_BL_BIN
lk NORMAL_ROM
boot NORMAL_ROM
system EXT4_IMG
cache EXT4_IMG
userdata EXT4_IMG"
  assert_equal "$output" "$(downloaded_types from-file.txt)"
}

@test "a table from a pipe: a downloaded partition neither content nor policy types is refused, naming it" {
  fs_dump User
  cat User | gpt-list -q --tsv 2>/dev/null > piped.tsv
  printf 'oem UPDATE\n' > policy
  local why="oem: downloaded, but the table does not say what it holds (it was listed from a pipe) and no rule gives its type: NORMAL_ROM would have SP Flash Tool write a sparse image raw"
  local hint="scatter-gen: hint: give the table of the dump file, not of a pipe (gpt-list --tsv User > table.tsv), or the TYPE in a --policy file (NAME UPDATE FILE EXT4_IMG)"
  for opts in "--policy policy" "--download oem"; do
    # shellcheck disable=SC2086
    run --separate-stderr scatter-gen -q --platform MT6752 --project demo --device-size 64M $opts -o out.txt piped.tsv
    assert_failure 1
    assert_equal "$stderr" "scatter-gen: error: $why
$hint"
    assert_file_not_exists out.txt
  done
  # The type from the policy, or the content from the file's table: no refusal.
  printf 'oem UPDATE - NORMAL_ROM\n' > policy
  scatter-gen -q --platform MT6752 --project demo --device-size 64M --policy policy piped.tsv > out.txt
  gpt-list -q --tsv User > file.tsv
  scatter-gen -q --platform MT6752 --project demo --download oem file.tsv > out.txt
  assert_equal "$(downloaded_types out.txt | grep oem)" "oem NORMAL_ROM"
}
