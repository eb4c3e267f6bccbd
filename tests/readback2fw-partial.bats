#!/usr/bin/env bats
# Partial and unusual readbacks (issue 14): a PGPT-only or truncated USER, a backup GPT moved by
# sgdisk -e, SP Flash Tool's ROM_0/ROM_1/ROM_2 in any order, no path of this machine in the
# outputs, the sgpt line said once.  Dumps made by scripts/mksample, cut with head, changed with
# sgdisk; outputs checked with simg2img, e2fsck and fw-checksum -c.

load test_helper

setup_file() {
  make_pipeline_sample
  # The whole user area as SP Flash Tool reads it: the full sample readback's own length.
  WHOLE=$(printf '0x%X' "$(stat -c %s "$SAMPLE/User")")
  export WHOLE
}

setup() { cd "$BATS_TEST_TMPDIR"; }

@test "gpt-list: a PGPT-only readback is listed from a file as from a pipe, with a warning and the readback length" {
  head -c 4M "$SAMPLE/User" > pgpt
  run --separate-stderr gpt-list --tsv pgpt
  assert_success
  [[ "$stderr" == *"truncated readback"*"partitions past its end: "*"userdata"*"start address 0x0, length $WHOLE"* ]]
  cut -f1-4 <<<"$output" | tail -n +2 > from-file
  cat pgpt | gpt-list -q --tsv | cut -f1-4 | tail -n +2 > from-pipe
  cmp from-file from-pipe
  # Rows wholly past the end say so in the content column; dump_size < disk_size in the header.
  assert_equal "$(awk -F'\t' '$2 == "userdata" { print $5 }' <<<"$output")" missing
  [[ "${lines[0]}" == *" dump_size=4194304 "* ]]
  run gpt-list pgpt
  assert_success
  assert_output --partial "Whole user area: start address 0x0, length $WHOLE"
}

@test "gpt-list: the demo sample's whole user area is 0x2D080000, as its full readback's length" {
  mksample demo 2>/dev/null
  assert_equal "$(printf '0x%X' "$(stat -c %s demo/User)")" 0x2D080000
  head -c 4M demo/User | gpt-list -q > /dev/null   # the pipe lists it too
  head -c 4M demo/User > pgpt
  run --separate-stderr gpt-list pgpt
  assert_success
  [[ "$stderr" == *"length 0x2D080000"* ]]
  run --separate-stderr gpt-list --json pgpt
  assert_equal "$(jq .partitiontable.readbacklength <<<"$output")" $((0x2D080000))
}

@test "readback2fw: a PGPT-only USER is refused with the readback length; nothing is written" {
  head -c 4M "$SAMPLE/User" > pgpt
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" pgpt out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: truncated readback: "*"userdata"*"length $WHOLE"* ]]
  assert_not_exist out
}

@test "a USER cut inside userdata: refused naming it; --skip userdata builds the rest, verified" {
  cut_inside "$SAMPLE/User" userdata User
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" User out
  assert_failure 1
  [[ "$stderr" == *"readback2fw: error: truncated readback: userdata would be downloaded"*"still whole: "*"system, cache"* ]]
  [[ "$stderr" == *"readback2fw: hint: build the rest with --skip"* ]]
  assert_not_exist out

  run --separate-stderr readback2fw -q --skip userdata "$SAMPLE/Boot1" User out
  assert_success
  assert_not_exist out/userdata.img
  grep -A3 'partition_name: userdata' out/MT6752_Android_scatter.txt | grep -q 'is_download: false'
  grep -q 'userdata .*skipped' out/report.txt
  (cd out && fw-checksum -c Checksum.ini MT6752_Android_scatter.txt >/dev/null)
  for p in system cache; do
    simg2img "out/$p.img" "$p.raw"
    e2fsck -fn "$p.raw"
  done
  # The filters themselves refuse to cut the partition the dump lacks.
  read -r start size < <(partition_range "$SAMPLE/User" userdata)
  run part-cut -q -o x User userdata
  assert_failure 1
  run ext4-sparse -q --offset "$start" --size "$size" -o x User
  assert_failure 1
  assert_not_exist x
}

@test "a backup GPT moved by sgdisk -e: explained in readback2fw's voice, with its own options" {
  cp --sparse=always "$SAMPLE/User" User
  sgdisk -e User >/dev/null
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" User out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: User: the backup GPT was moved"*"sgdisk -e"*"sgpt"* ]]
  [[ "$stderr" == *"readback2fw: hint: use the USER readback as SP Flash Tool wrote it"* ]]
  refute [ -n "$(grep -E -- '--(absolute-tail|device-size)|scatter-gen' <<<"$stderr")" ]
  assert_not_exist out
}

@test "a readback that ends at the backup GPT: the sgpt area is missing, read again with the length" {
  disk=$(gpt-list -q --tsv "$SAMPLE/User" | head -1 | grep -o 'disk_size=[0-9]*')
  head -c "${disk#*=}" "$SAMPLE/User" > User
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" User out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: User: the readback ends at the backup GPT: "*"sgpt"* ]]
  [[ "$stderr" == *"readback2fw: hint: read back region EMMC_USER again with start address 0x0, length $WHOLE"* ]]
  assert_not_exist out
}

@test "SP Flash Tool's ROM_0 ROM_1 ROM_2 in every order give the same firmware" {
  readback2fw -q --boot2 "$SAMPLE/Boot2" "$SAMPLE/Boot1" "$SAMPLE/User" ref
  (cd ref && md5sum -- * | grep -v -e report.txt -e partitions.json) > ref.md5   # they name the dumps
  for order in "Boot1 Boot2 User" "Boot1 User Boot2" "Boot2 Boot1 User" "Boot2 User Boot1" \
               "User Boot1 Boot2" "User Boot2 Boot1" "User Boot1" "Boot1 User"; do
    rm -rf roms out && mkdir roms
    n=0
    for d in $order; do ln -s "$SAMPLE/$d" "roms/ROM_$n"; n=$((n + 1)); done
    readback2fw -q -j 2 roms/ROM_* out
    (cd out && md5sum -c --quiet ../ref.md5)
    if [[ $order == *Boot2* ]]; then grep -q '^BOOT2: .*empty' out/report.txt; fi
    user=$(grep -o 'ROM_[0-9]' <(ls -l roms | grep /User))
    assert_equal "$(jq -r .partitiontable.device out/partitions.json)" "$user"
  done
}

@test "an empty BOOT2 where USER is expected, or two USERs: clear errors" {
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/Boot2" out
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: $SAMPLE/Boot2: only 0x00 and 0xFF bytes: an empty BOOT2, not USER (read back region EMMC_USER: see --help)"
  run --separate-stderr readback2fw -q "$SAMPLE/User" "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure 1
  [[ "$stderr" == *"both hold a partition table (a GPT or an MBR/EBR table): two USER dumps"* ]]
  assert_not_exist out
  run readback2fw --help
  assert_output --partial "EMMC_USER"
  assert_output --partial "ROM_0"
}

@test "no output file holds the dumps' folder path" {
  dir=$BATS_TEST_TMPDIR/where-the-dumps-live
  mkdir "$dir" && ln -s "$SAMPLE/Boot1" "$dir/Boot1" && ln -s "$SAMPLE/User" "$dir/User1"
  readback2fw -q "$dir/Boot1" "$dir/User1" out
  assert_equal "$(jq -r .partitiontable.device out/partitions.json)" User1
  run grep -rl -e "$dir" -e "$SAMPLE" out
  assert_failure 1
}

@test "the sgpt information line is said once per run" {
  run --separate-stderr readback2fw -j 2 "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_success
  assert_equal "$(grep -c "MediaTek's reserved sgpt area" <<<"$stderr")" 1
}
