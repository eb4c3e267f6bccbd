#!/usr/bin/env bats
# Golden outputs: every case of tests/lib/golden.bash, run on fixtures built afresh by real tools,
# prints exactly tests/expected/<tool>/<case>.stdout and .stderr and exits with .exit.  After a
# deliberate change: tests/expected/regenerate, then review the diff.  The last tests check the
# golden files themselves against real consumers (sfdisk, parted, md5sum, jq, reference samples),
# as tests/expected/README.md lists.

load test_helper
source "$MTKFW_ROOT/tests/lib/golden.bash"

setup_file() { golden_fixtures "$BATS_FILE_TMPDIR/fx" >/dev/null; }
setup() { cd "$BATS_TEST_TMPDIR"; FX=$BATS_FILE_TMPDIR/fx; E=$GOLDEN_EXPECTED; }

# same_as_expected TOOL: every case of TOOL, its three files byte for byte, none missing or extra.
same_as_expected() {
  golden_run_all "$FX" "$BATS_TEST_TMPDIR/out" "$1"
  diff -r "$E/$1" "$BATS_TEST_TMPDIR/out/$1"
}

@test "gpt-list: table, --tsv, --json, a damaged primary, truncated, bad CRC, bad option" {
  same_as_expected gpt-list
}

@test "part-cut: unknown name with its suggestion, bad number, missing dump, partition past the end" {
  same_as_expected part-cut
}

@test "scatter-gen: a 64 MiB dump, the demo's sample readback, the Lenovo P-70A layout, bad options" {
  same_as_expected scatter-gen
}

@test "fw-checksum: Checksum.ini with and without --md5, -c good and bad, a missing image" {
  same_as_expected fw-checksum
}

@test "bl-strip: --info, --json, a truncated BOOT1" {
  same_as_expected bl-strip
}

@test "ext4-sparse: --info on a range of the dump, a range that is not ext4" {
  same_as_expected ext4-sparse
}

@test "every golden file belongs to a case, every case has its three files" {
  diff <(cd "$E" && find . -mindepth 2 -type f -not -path './stock-scatters/*' | sed 's|^\./||' | sort) \
       <(golden_cases | cut -f1 | sed 's/$/.exit/; p; s/exit$/stderr/; p; s/stderr$/stdout/' | sort)
}

@test "the small fixtures are the same bytes when built twice" {
  local again=$BATS_TEST_TMPDIR/again
  mkdir "$again"
  (cd "$again" && PATH="$MTKFW_ROOT/tests/lib/pinned:$PATH" golden_user_dump User && boot1_image Boot1 preloader.bin &&
   golden_firmware fw)
  for f in User Boot1 preloader.bin fw/lk.bin fw/boot.img fw/tee.img fw/MT6752_Android_scatter.txt fw/Checksum.ini; do
    cmp "$FX/$f" "$again/$f"
  done
}

# --- the golden files against real consumers ---------------------------------------------------

@test "consumer: gpt-list --json and --tsv rows are what sfdisk -J reads in the fixture" {
  sfdisk -J "$FX/User" | jq -c '.partitiontable.partitions[] | [.start, .size, .type, .uuid, .name]' > sfdisk
  jq -c '.partitiontable.partitions[] | [.start, .size, .type, .uuid, .name]' "$E/gpt-list/json.stdout" > ours
  diff ours sfdisk
  # the TSV in bytes
  awk -F'\t' 'NR > 2 { printf "[%d,%d,\"%s\",\"%s\",\"%s\"]\n", $3 / 512, $4 / 512, $7, $8, $2 }' \
    "$E/gpt-list/tsv.stdout" | diff - sfdisk
  [ "$(sfdisk -J "$FX/User" | jq -r .partitiontable.id)" = "$(jq -r .partitiontable.id "$E/gpt-list/json.stdout")" ]
}

@test "consumer: the human table's byte ranges are parted's (unit B)" {
  parted -s -m "$FX/User" unit B print | awk -F: 'NR > 2 { print $1, $2, $3, $4, $6 }' > parted
  awk '$1 ~ /^[0-9]+$/ && NF >= 6 { print $1, $2, $3, $4, $NF }' "$E/gpt-list/table.stdout" | diff - parted
}

@test "consumer: the scatter files parse back to the same rows and rewrite byte for byte" {
  for f in mtk-dump sample p70a; do
    scatter-gen --reformat "$E/scatter-gen/$f.stdout" | cmp - "$E/scatter-gen/$f.stdout"
    diff <(scatter-gen --list "$E/scatter-gen/$f.stdout" | tail -n +2 | cut -f2-14) <(scatter_fields "$E/scatter-gen/$f.stdout")
  done
}

@test "consumer: the P-70A scatter has the stock MT6752 starts (ZTE Run 4G ota_scatter) and P6000's general block" {
  need_reference MT6752_ota_scatter__zte_run4g.txt
  diff <(scatter_fields "$E/scatter-gen/p70a.stdout" | cut -f2,6 | tr '\t' ' ' | head -18) \
       <(head -18 "$SCATTER_REF/MT6752_ota_scatter__zte_run4g.txt")
  diff <(sed '/partition_index/,$d; s/project: p70a/project: k01q_e/' "$E/scatter-gen/p70a.stdout") \
       <(sed '/partition_index/,$d' "$SCATTER_REF/MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt")
}

@test "consumer: Checksum.ini sums are od's byte sums, its MD5s md5sum's, its sections a stock file's" {
  local ini=$E/fw-checksum/md5.stdout name file
  for row in lk:lk.bin boot:boot.img tee1:tee.img tee2:tee.img; do
    IFS=: read -r name file <<<"$row"
    sum=$(od -An -v -tu1 "$FX/fw/$file" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "0x%04X", s % 65536 }')
    grep -qx "$name=$sum"$'\r' "$ini"
    md5=$(md5sum "$FX/fw/$file" | cut -c1-32 | tr a-f A-F | sed 's/\(.\{8\}\)\(.\{8\}\)\(.\{8\}\)/\1-\2-\3-/')
    grep -qx "$name=$md5"$'\r' "$ini"
  done
  # without --md5: the same file up to [CheckSum_V2], VERSION=V1
  diff <(sed '/^\[CheckSum_V2\]/,$d; s/^VERSION=V2/VERSION=V1/' "$ini") "$E/fw-checksum/v1.stdout"
  # sections and keys in the order of MediaTek's CheckSum_Gen output
  need_reference ../checksum/MT6765_stock_rom_2023.ini
  diff <(tr -d '\r' < "$E/fw-checksum/v1.stdout" | grep -E '^\[|^[A-Za-z_]+=' | sed -n '1,7{s/=.*//;p}') \
       <(tr -d '\r' < "$SCATTER_REF/../checksum/MT6765_stock_rom_2023.ini" | sed -n '1,7{s/=.*//;p}')
}

@test "consumer: bl-strip --json is JSON whose length and SHA-256 are the preloader's (coreutils)" {
  j=$E/bl-strip/json.stdout
  [ "$(jq -r .file_len "$j")" = "$(stat -c %s "$FX/preloader.bin")" ]
  [ "$(jq -r .sha256_computed "$j")" = "$(sha256_head "$FX/preloader.bin" $(( $(jq -r .file_len "$j") - 32 )))" ]
  grep -qx "file_len:         $(jq -r .file_len "$j") (0x$(printf %x "$(jq -r .file_len "$j")"))" "$E/bl-strip/info.stdout"
}

@test "consumer: every failing case says TOOL: error: on stderr, exits 1, 2 or 3, and prints nothing on stdout" {
  local n=0
  for x in "$E"/*/*.exit; do
    status=$(cat "$x")
    [ "$status" -ne 0 ] || continue
    case=${x%.exit} tool=$(basename "$(dirname "$x")")
    [[ $status == [123] ]]
    grep -q "^$tool: error: " "$case.stderr"
    [ "$(tail -c 1 "$case.stderr" | od -An -c | tr -d ' ')" = '\n' ]
    [ "$(basename "$case")" = check-failed ] || [ ! -s "$case.stdout" ]
    n=$((n + 1))
  done
  [ "$n" -ge 8 ]
}
