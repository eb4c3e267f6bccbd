#!/usr/bin/env bats
# scatter-gen and the scatter parser (common/scatter.h), checked against the real samples in
# ../shared/reference/scatter/ (MediaTek ptgen.pl output and stock files) with an awk reader.

load test_helper
source "$MTKFW_ROOT/tests/lib/scatter-gen.bash"

P6000=$SCATTER_REF/MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
C4=$SCATTER_REF/MT6752_Android_scatter__sony_xperia_c4_callass__RECONSTRUCTED.txt

setup() {
  [ -f "$P6000" ] || skip "reference scatter samples not found ($SCATTER_REF)"
  cd "$BATS_TEST_TMPDIR"
}

# --- the parser -------------------------------------------------------------------------------

@test "parser: reads every reference sample, every row and field as awk sees them" {
  local n=0
  for f in "$SCATTER_REF"/*_Android_scatter_*.txt; do
    run scatter-gen --list "$f"
    assert_success
    [ $(( ${#lines[@]} - 1 )) -eq "$(grep -c 'partition_index:' "$f")" ]
    # column 1 is the V2.x storage section; the rest are the keys in file order
    diff <(scatter-gen --list "$f" | tail -n +2 | cut -f2- | tr A-Z a-z) <(scatter_fields "$f" | tr A-Z a-z)
    n=$((n + 1))
  done
  [ "$n" -eq 5 ]
}

@test "parser: V2.1.0 keeps the EMMC and UFS sections apart" {
  f=$SCATTER_REF/MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  run scatter-gen --list "$f"
  assert_success
  [ "$(grep -c $'^EMMC\t' <<<"$output")" -eq "$(awk '/storage_type: UFS/{exit} /partition_index/{n++} END{print n}' "$f")" ]
  assert_line --partial $'UFS\tSYS1\tpgpt\tNONE\tfalse\tNORMAL_ROM\t0x0\t0x0\t0x8000\tUFS_LU2'
  assert_line --partial $'EMMC\tSYS44\tsgpt\tNONE\tfalse\tNORMAL_ROM\t0xFFFF0000\t0xFFFF0000\t0x8000'
}

@test "writer: MediaTek's own V1.1.2 files come back byte for byte (ptgen.pl output, MT6737M stock)" {
  for f in "$P6000" "$C4" "$SCATTER_REF"/MT6737M_Android_scatter_*.txt; do
    scatter-gen --reformat "$f" -o out.txt
    cmp out.txt "$f"
  done
}

@test "parser: malformed scatter files are refused with the line" {
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
  run scatter-gen --reformat "$SCATTER_REF"/MT6779_*.txt
  assert_failure 1
  assert_output --partial "only V1.x scatter files with one storage"
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
  compare_with_reference "$P6000" k01q_e
  # and the start column is the product's real ota_scatter.txt, line by line
  diff <(scatter_fields out.txt | cut -f2,6 | tr '\t' ' ') "$SCATTER_REF/MT6752_ota_scatter__elephone_p6000.txt"
  [ ! -s err ]
}
