#!/usr/bin/env bats
# scatter-gen on the modern generations (MODERN.md 1): for every stock scatter of an MT6762 ..
# MT6833 phone in ../shared/reference/scatter, a gpt-list --tsv table holding that file's
# partitions at their exact starts and sizes (stock_table), then `scatter-gen --file-names stock`,
# compared with the stock file field by field by an awk reader (scatter_keys), not by our parser.
# Layout fields must all be equal; policy fields equal or listed below with the reason.
#
# Where a sample's stock choices differ from the majority rule, the test also rebuilds the whole
# file with those choices as a --policy file and compares bytes (the writer is format/scatter.cpp's).

load test_helper
source "$MTKFW_ROOT/tests/lib/scatter-gen.bash"

setup() { cd "$BATS_TEST_TMPDIR"; }

LAYOUT_KEYS="partition_index partition_name linear_start_addr physical_start_addr partition_size region storage boundary_check is_reserved"
POLICY_KEYS="file_name is_download type operation_type is_upgradable empty_boot_needed combo_partsize_check"

# general REF KEY: the value of a general-block key of REF.
general() { grep -m1 "^ *-* *$2:" "$1" | sed 's/^[^:]*: *//; s/\r$//'; }

# generate REF [ARGS...]: out.txt from REF's table, with REF's platform, project and preloader
# (a GFH image named like REF's preloader file, of REF's preloader size).
generate() {
  local ref=$1; shift
  local preloader size
  preloader=$(scatter_keys "$ref" file_name | head -1 | cut -f2)
  size=$(scatter_keys "$ref" partition_size | head -1 | cut -f2)
  gfh_preloader pl.bin "$preloader" $((size))
  stock_table "$ref" > table.tsv
  scatter-gen -q --file-names stock --platform "$(general "$ref" platform)" --project "$(general "$ref" project)" \
    --preloader pl.bin "$@" table.tsv -o out.txt
}

# fields FILE KEYS: one line per (section, row, key): "section<TAB>name<TAB>key<TAB>value".
fields() {
  local file=$1 keys=$2
  scatter_keys "$file" partition_name $keys | awk -F'\t' -v keys="$keys" '
    BEGIN { n = split(keys, k, " ") } { for (i = 1; i <= n; i++) print $1 "\t" $2 "\t" k[i] "\t" $(i + 2) }'
}

# compare_with_stock REF "NAME KEY..." : every layout field of out.txt equals REF's; the policy
# fields that differ are exactly the (name key) pairs listed (in every section); prints the counts.
compare_with_stock() {
  local ref=$1 allowed=$2
  diff <(fields out.txt "$LAYOUT_KEYS") <(fields "$ref" "$LAYOUT_KEYS")
  local differ
  differ=$(diff <(fields out.txt "$POLICY_KEYS") <(fields "$ref" "$POLICY_KEYS") | awk -F'\t' '/^[<>]/ { print $2, $3 }' | sort -u)
  assert_equal "$differ" "$(tr ',' '\n' <<<"$allowed" | sed 's/^ *//; /^$/d' | sort -u)"
  local layout policy wrong
  layout=$(fields "$ref" "$LAYOUT_KEYS" | wc -l)
  policy=$(fields "$ref" "$POLICY_KEYS" | wc -l)
  wrong=$(diff <(fields out.txt "$POLICY_KEYS") <(fields "$ref" "$POLICY_KEYS") | grep -c '^<' || true)
  echo "# $(basename "$ref"): layout $layout/$layout, policy $((policy - wrong))/$policy" >&3
}

# same_bytes REF: out.txt is REF byte for byte; CRLF samples (Windows-side collections, MODERN.md
# 1.1) are compared in MediaTek's LF form, which ends with a blank line.
same_bytes() {
  if grep -q $'\r' "$1"; then cmp out.txt <(tr -d '\r' < "$1"; echo); else cmp out.txt "$1"; fi
}

S=$SCATTER_REF

@test "MT6765 Lenovo ksu (V1.1.2, 16 keys): every layout field; policy but three stock choices" {
  need_reference MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt
  local ref=$S/MT6765_Android_scatter__lenovo_ksu_V1.1.2.txt
  generate "$ref"
  # frp: PROTECTED here and in p325a, INVISIBLE in the five others (the rule takes the majority);
  # logo: is_upgradable true only here; lenovocust: a Lenovo name no rule knows (INVISIBLE).
  compare_with_stock "$ref" "frp operation_type, logo is_upgradable, lenovocust file_name, lenovocust is_download,
    lenovocust operation_type"
  # the same rules as a policy file on top: the whole file, byte for byte
  printf 'frp PROTECTED\nlogo UPDATE logo.bin - true true\nlenovocust UPDATE lenovocust.img EXT4_IMG false\n' > policy
  generate "$ref" --policy policy
  same_bytes "$ref"
}

@test "MT6762 Redmi 9A (V1.1.2, super): every field, and the file byte for byte" {
  need_reference MT6765_Android_scatter__redmi_9a_dandelion_super.txt
  local ref=$S/MT6765_Android_scatter__redmi_9a_dandelion_super.txt
  generate "$ref"
  compare_with_stock "$ref" ""
  same_bytes "$ref"
}

@test "MT6768 biloba (V1.1.8, A/B): every layout field; cust is downloaded by the rule" {
  need_reference MT6768_Android_scatter__biloba_V1.1.8_ab.txt
  local ref=$S/MT6768_Android_scatter__biloba_V1.1.8_ab.txt
  generate "$ref"
  # cust: UPDATE cust.img in the Redmi 9A, INVISIBLE here (one sample each; downloading the
  # phone's own cust is the safe side for a restore)
  compare_with_stock "$ref" "cust file_name, cust is_download, cust operation_type, cust is_upgradable"
  printf 'cust INVISIBLE - EXT4_IMG false\n' > policy
  generate "$ref" --policy policy
  same_bytes "$ref"
}

@test "MT6768 Motorola p325a (V1.1.8 text, A/B, mrdump tail): every layout field; policy but three" {
  need_reference MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  local ref=$S/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  generate "$ref"
  # frp PROTECTED (see Lenovo); vendor_boot_a downloaded here only (biloba, MT6781: NONE);
  # efuse not downloaded here only (Redmi 9A, biloba: efuse.img)
  compare_with_stock "$ref" "frp operation_type, vendor_boot_a file_name, vendor_boot_a is_download,
    vendor_boot_a operation_type, vendor_boot_a is_upgradable, efuse file_name, efuse is_download, efuse operation_type"
  printf 'frp PROTECTED\nvendor_boot_a UPDATE vendor_boot.img - true\nefuse INVISIBLE - - false\n' > policy
  generate "$ref" --policy policy
  same_bytes "$ref"
}

@test "MT6768 Motorola p325a, XML form (--format xml): byte for byte with the stock XML" {
  need_reference MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml
  local ref=$S/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  # the same three stock choices as the text form (above), said by a policy file
  printf 'frp PROTECTED\nvendor_boot_a UPDATE vendor_boot.img - true\nefuse INVISIBLE - - false\n' > policy
  generate "$ref" --policy policy --format xml
  cmp out.txt "$S/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.xml"
}

@test "MT6779 Blackview (V2.1.0, EMMC and UFS sections, otp in the middle): every field, byte for byte" {
  need_reference MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  local ref=$S/MT6779_Android_scatter__blackview_bv9900pro_V2.1.0_emmc_ufs.txt
  generate "$ref"
  compare_with_stock "$ref" ""
  same_bytes "$ref"
}

@test "MT6781 te926 (V2.1.0, preloader + preloader_backup, NEEDRESIZE, A/B): every field, byte for byte" {
  need_reference MT6781_Android_scatter__V2.1.0_emmc_ufs.txt
  local ref=$S/MT6781_Android_scatter__V2.1.0_emmc_ufs.txt
  generate "$ref"
  compare_with_stock "$ref" ""
  same_bytes "$ref"
}

@test "MT6833 OPPO (V2.1.0, 17 keys): every layout field; OPPO's super is the one difference" {
  need_reference MT6833_Android_scatter__oppo_V2.1.0_emmc_ufs.txt
  local ref=$S/MT6833_Android_scatter__oppo_V2.1.0_emmc_ufs.txt
  generate "$ref"
  # super: OPPO ships it in pieces (super.N.<hash>.img, MODERN.md 1.7) and does not download the
  # row; every other sample downloads super.img, and a readback has the whole partition
  compare_with_stock "$ref" "super is_download"
  printf 'super UPDATE super.img NORMAL_ROM true - - false\n' > policy
  generate "$ref" --policy policy
  same_bytes "$ref"
}

@test "MT6737M tecno (V1.1.2, 15 keys: empty_boot_needed): every field, and the file byte for byte" {
  need_reference MT6737M_Android_scatter__tecno_x5511B_rlk6737m_65_m0.txt
  local ref=$S/MT6737M_Android_scatter__tecno_x5511B_rlk6737m_65_m0.txt
  generate "$ref"
  compare_with_stock "$ref" ""
  same_bytes "$ref"
}

@test "MT6752 (ptgen.pl files, 14 keys): stock names give tee1/tee2 one trustzone.bin, byte for byte" {
  need_reference MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
  for ref in "$S"/MT6752_Android_scatter__*_RECONSTRUCTED.txt; do
    generate "$ref"
    compare_with_stock "$ref" ""
    same_bytes "$ref"
  done
}

# --- the rules on their own ------------------------------------------------------------------

@test "--file-names partition (default): every downloaded row its own image, both A/B slots" {
  need_reference MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt
  stock_table "$S/MT6768_Android_scatter__moto_p325a_V1.1.8_ab.txt" > table.tsv
  scatter-gen -q --platform MT6768 --project p325a table.tsv -o out.txt
  scatter_keys out.txt partition_name file_name is_download operation_type empty_boot_needed > rows
  run grep -P '\t(boot|lk|tee|logo|super|md1img)_?[ab]?\t' rows
  assert_output "$(printf -- '-\tmd1img_a\tmd1img_a.img\ttrue\tUPDATE\tfalse
-\tlk_a\tlk_a.img\ttrue\tUPDATE\ttrue
-\tboot_a\tboot_a.img\ttrue\tUPDATE\tfalse
-\ttee_a\ttee_a.img\ttrue\tUPDATE\ttrue
-\tlogo\tlogo.bin\ttrue\tUPDATE\ttrue
-\tmd1img_b\tmd1img_b.img\ttrue\tUPDATE\tfalse
-\tlk_b\tlk_b.img\ttrue\tUPDATE\tfalse
-\tboot_b\tboot_b.img\ttrue\tUPDATE\tfalse
-\ttee_b\ttee_b.img\ttrue\tUPDATE\tfalse
-\tsuper\tsuper.img\ttrue\tUPDATE\tfalse')"
  # no two downloaded rows share a file
  [ -z "$(awk -F'\t' '$3 == "true" { print $2 }' <(scatter_keys out.txt file_name is_download) | sort | uniq -d)" ]
}

@test "--own-file: stock names, but these rows get their own file; misuse is refused" {
  need_reference MT6765_Android_scatter__redmi_9a_dandelion_super.txt
  stock_table "$S/MT6765_Android_scatter__redmi_9a_dandelion_super.txt" > table.tsv
  scatter-gen -q --platform MT6765 --project x --file-names stock --own-file tee2,lk2 table.tsv -o out.txt
  assert_equal "$(scatter_keys out.txt partition_name file_name | grep -P '\t(lk|tee)[12]?\t' | cut -f2,3 | tr '\t\n' '= ')" \
    "lk=lk.img lk2=lk2.img tee1=tee.img tee2=tee2.img "
  run scatter-gen -q --platform MT6765 --own-file tee2 table.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --own-file: only with --file-names stock (with partition names every row has its own file)"
  run scatter-gen -q --platform MT6765 --file-names stock --own-file nvram table.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --own-file: nvram is not downloaded: it has no file"
  run scatter-gen -q --platform MT6765 --file-names stock --own-file nosuch table.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --own-file: no partition named 'nosuch' in the table"
  run scatter-gen -q --platform MT6765 --file-names both table.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --file-names: expected partition or stock, got 'both'"
}

@test "--describe: the generation table, the nearest generation for a chip it does not list, overrides" {
  run scatter-gen --describe --platform MT6768
  assert_success
  assert_output "platform=MT6768
generation=v1.1.8
config_version=V1.1.8
keys=16
storages=EMMC
format=txt
sgpt_area=0
source=table"
  run scatter-gen --describe --platform MT6752
  assert_line "sgpt_area=524288"
  run --separate-stderr scatter-gen --describe --platform MT6853
  assert_success
  assert_line "generation=v2.1.0-17"
  assert_line "storages=EMMC,UFS"
  assert_line "source=nearest MT6833"
  [[ "$stderr" == "scatter-gen: warning: MT6853 is not in the generation table: written as V2.1.0 with 17 keys per row"* ]]
  run scatter-gen --describe --platform MT6752 --scatter-version V1.1.8 --format xml
  assert_success
  assert_line "generation=v1.1.8"
  assert_line "format=xml"
  assert_line "source=given"
  for p in MT6752:mt6752:14 MT6737M:mt6735:15 MT6765:v1.1.2:16 MT6771:v1.1.2:16 MT6779:v2.1.0:16 \
           MT6781:v2.1.0-backup:16 MT6833:v2.1.0-17:17 MT6893:v2.1.0-17:17; do
    IFS=: read -r chip gen keys <<<"$p"
    assert_equal "$(scatter-gen -q --describe --platform "$chip" | grep -E '^(generation|keys)=' | tr '\n' ' ')" \
      "generation=$gen keys=$keys "
  done
  run scatter-gen --describe --platform MT6768 --scatter-version V9
  assert_failure 2
  assert_output --partial "--scatter-version: unknown version 'V9'"
  run scatter-gen --describe
  assert_failure 2
  assert_output "scatter-gen: error: --describe: needs --platform"
  run scatter-gen --describe --platform MT6768 --format yaml
  assert_failure 2
  assert_output "scatter-gen: error: --format: expected txt or xml, got 'yaml'"
  run -0 scatter-gen -v --describe --platform MT6768
  assert_line "scatter-gen: MT6768: V1.1.8, 16 keys per row (generation table)"
}

@test "--storage: from the table's sector size; a disagreement names both; UFS tables are accepted" {
  SECTOR=4096 tsv_table $((64 << 20)) 16375 boot $((1 << 20)) $((1 << 20)) android-boot userdata $((2 << 20)) $((8 << 20)) ext4 > ufs.tsv
  run scatter-gen -q --platform MT6765 --storage emmc ufs.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --storage emmc: the table has 4096-byte sectors, which is UFS (UFS LU2)"
  scatter-gen -q --platform MT6765 ufs.tsv -o out.txt
  grep -qx '      storage: UFS' out.txt
  grep -qx '      block_size: 0x80000' out.txt
  assert_equal "$(scatter_keys out.txt partition_name region storage | cut -f2- | sort -u | head -3 | tr '\t\n' '  ')" \
    "boot UFS_LU2 HW_STORAGE_UFS pgpt UFS_LU2 HW_STORAGE_UFS preloader UFS_LU0_LU1 HW_STORAGE_UFS "
  run scatter-gen -q --platform MT6765 --storage flash ufs.tsv
  assert_failure 2
  assert_output "scatter-gen: error: --storage: expected emmc or ufs, got 'flash'"
}

@test "the reserved tail: only the rows after the last ordinary one; floor(S / block_size) as stock" {
  # mrdump, flashinfo and otp after userdata are the tail, above a 0x4200 backup GPT area (33 sectors)
  tsv_table $((64 << 20)) 131038 frp $((1 << 20)) $((1 << 20)) unknown userdata $((2 << 20)) $((8 << 20)) ext4 \
    mrdump $((10 << 20)) $((1 << 20)) unknown flashinfo $((11 << 20)) $((1 << 20)) unknown \
    otp $((12 << 20)) $((1 << 20)) unknown > t.tsv
  scatter-gen -q --platform MT6765 --project x t.tsv -o out.txt
  assert_equal "$(scatter_keys out.txt partition_name linear_start_addr operation_type is_reserved | cut -f2- | tail -4 | tr '\t\n' '  ')" \
    "mrdump 0xFFFF0018 RESERVED true flashinfo 0xFFFF0010 RESERVED true otp 0xFFFF0008 RESERVED true sgpt 0xFFFF0000 RESERVED true "
  # the same name in the middle of the table is INVISIBLE, at its absolute start
  tsv_table $((64 << 20)) 131038 otp $((1 << 20)) $((1 << 20)) unknown userdata $((2 << 20)) $((8 << 20)) ext4 > m.tsv
  scatter-gen -q --platform MT6765 --project x m.tsv -o out.txt
  assert_equal "$(scatter_keys out.txt partition_name linear_start_addr operation_type boundary_check | grep -P '\totp\t' | cut -f2- | tr '\t' ' ')" \
    "otp 0x100000 INVISIBLE true"
}
