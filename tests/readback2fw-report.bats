#!/usr/bin/env bats
# readback2fw's words about the phone's own data and the filters' warnings: on stderr (unless -q)
# and in report.txt.  Samples made by scripts/mksample, altered with sgdisk and dd; the scatter read
# back with scatter-gen --list, images checked against the dump with dd + cmp.

load test_helper

setup_file() { make_pipeline_sample firmware; }
setup() { enter_pipeline_test; }

# A copy of the sample's USER with partition NUMBER renamed NAME by sgdisk, on the disk size the
# GPT was made for (the sgpt tail put back after), so the backup GPT stays where MediaTek has it.
renamed_user() {  # NUMBER NAME COPY
  local disk
  disk=$(gpt-list --tsv "$SAMPLE/User" 2>/dev/null | sed -n '1s/.* disk_size=\([0-9]*\).*/\1/p')
  cp --sparse=always "$SAMPLE/User" "$3"
  truncate -s "$disk" "$3"
  sgdisk -c "$1:$2" "$3" >/dev/null
  truncate -s "$(stat -c %s "$SAMPLE/User")" "$3"
}

# NAME's row of a scatter, read by scatter-gen --list: "is_download type operation_type file_name".
scatter_row() {  # SCATTER NAME
  scatter-gen --list "$1" | awk -F'\t' -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
    $at["name"] == want { print $at["is_download"], $at["type"], $at["operation_type"], $at["file_name"] }'
}

# The bytes of partition NAME of a dump, by sfdisk's table.
dump_part() {  # DUMP NAME
  local start size
  read -r start size < <(partition_range "$1" "$2")
  dd if="$1" bs=1M iflag=skip_bytes,count_bytes skip="$start" count="$size" status=none
}

@test "report: what each SP Flash Tool mode does to each class of partition not downloaded" {
  run cat "$FW/report.txt"
  assert_line --regexp '^  CLASS +DOWNLOAD ONLY +FIRMWARE UPGRADE +FORMAT ALL \+ DOWNLOAD$'
  assert_line --regexp '^  PROTECTED/BINREGION +left as is +kept +erased: nvram and proinfo hold the IMEI and calibration$'
  assert_line --regexp '^  INVISIBLE +left as is +erased \(formatted\) +erased$'
  assert_line --regexp '^  RESERVED +left as is +otp kept, others unknown +unknown \(no source found\)$'
  assert_output --partial "survives it only when --download named it"
  refute_output --partial "kept unless"
  # The sample is stock: no filter warned.
  assert_output --partial "$(printf 'warnings (said on stderr too):\n  none')"
}

@test "report: userdata.img is the customer's files; no IMEI line without --download" {
  run cat "$FW/report.txt"
  assert_line "  userdata.img: the customer's files (apps, photos, messages, accounts) as read back"
  refute_output --partial "IMEI and calibration (--download)"
}

@test "--download nvram,proinfo: the IMEI warning on stderr and in report.txt; -q keeps only the report" {
  run --separate-stderr readback2fw --download nvram,proinfo "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_success
  [[ "$stderr" == *"--download nvram,proinfo: these images carry this phone's own data (IMEI, calibration); flash them to this phone only"* ]]
  run cat out/report.txt
  assert_line "  proinfo.img, nvram.img: this phone's own IMEI and calibration (--download): flash them to this phone only"
  assert_line --regexp "^  scatter-gen: warning: --download nvram,proinfo: .*flash them to this phone only"
  dump_part "$SAMPLE/User" nvram | cmp - out/nvram.img

  run --separate-stderr readback2fw -q --download nvram,proinfo "$SAMPLE/Boot1" "$SAMPLE/User" quiet
  assert_success
  assert_equal "$stderr" ""
  cmp out/report.txt quiet/report.txt
}

@test "--policy: a rule's type and operation are honoured in the scatter and the images" {
  run readback2fw --help
  assert_line --regexp '^  --policy FILE +scatter-gen rules'
  printf '%s\n' '# this phone: logo kept on the phone, cache written raw' \
    'logo   INVISIBLE' 'cache  UPDATE  cache.img  NORMAL_ROM' > rules
  run --separate-stderr readback2fw -q --policy rules "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_success
  assert_equal "$(scatter_row out/MT6752_Android_scatter.txt logo)" "false NORMAL_ROM INVISIBLE NONE"
  assert_equal "$(scatter_row out/MT6752_Android_scatter.txt cache)" "true NORMAL_ROM UPDATE cache.img"
  assert_file_not_exists out/logo.bin
  dump_part "$SAMPLE/User" cache | cmp - out/cache.img   # raw now, not sparse
  fw-checksum -c out/Checksum.ini out/MT6752_Android_scatter.txt >/dev/null
  # --policy=FILE too; a rule scatter-gen refuses is said in readback2fw's voice.
  echo 'logo SOMETIMES' > bad
  run --separate-stderr readback2fw -q --policy=bad "$SAMPLE/Boot1" "$SAMPLE/User" bad-out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: bad: line 1: unknown operation 'SOMETIMES'"* ]]
  assert_file_not_exists bad-out/MT6752_Android_scatter.txt
}

@test "an unknown partition: the INVISIBLE warning and the --policy hint on stderr and in report.txt" {
  renamed_user 12 mystery User
  run --separate-stderr readback2fw "$SAMPLE/Boot1" User out
  assert_success
  [[ "$stderr" == *"scatter-gen: warning: no rule for mystery: written as INVISIBLE, not downloaded"$'\n'"readback2fw: hint: name them in a --policy file to change that"* ]]
  run cat out/report.txt
  assert_line "  scatter-gen: warning: no rule for mystery: written as INVISIBLE, not downloaded"
  assert_line "  readback2fw: hint: name them in a --policy file to change that"
  assert_line --regexp '^  mystery +INVISIBLE$'
  # The hint's way: a rule for it downloads it, and no warning is left.
  echo 'mystery UPDATE' > rules
  readback2fw -q --policy rules "$SAMPLE/Boot1" User again
  dump_part User mystery | cmp - again/mystery.img
  run cat again/report.txt
  refute_output --partial "no rule for"
}

@test "a userdata without ext4: the raw-full-size warning and the --skip hint, on stderr and in report.txt" {
  cp --sparse=always "$SAMPLE/User" User
  read -r start size < <(partition_range User userdata)
  # The superblock (1024 bytes at 1024) replaced by random bytes: no file system is left there.
  head -c 1024 /dev/urandom | dd of=User bs=1 seek=$(( start + 1024 )) conv=notrunc status=none
  run --separate-stderr readback2fw "$SAMPLE/Boot1" User out
  assert_success
  [[ "$stderr" == *"scatter-gen: warning: userdata: no ext4 file system (unknown): written raw at full size, $size bytes"* ]]
  [[ "$stderr" == *"readback2fw: hint: to build without userdata, give --skip userdata (it stays in the scatter, not downloaded)"* ]]
  run cat out/report.txt
  assert_line "  scatter-gen: warning: userdata: no ext4 file system (unknown): written raw at full size, $size bytes"
  assert_line "  readback2fw: hint: to build without userdata, give --skip userdata (it stays in the scatter, not downloaded)"
  assert_line --regexp "^  userdata\.img +$size +$size  raw image of userdata$"
  assert_equal "$(scatter_row out/MT6752_Android_scatter.txt userdata)" "true NORMAL_ROM UPDATE userdata.img"
  dump_part User userdata | cmp - out/userdata.img
}

@test "run_filter: QUIET=1 says nothing and still keeps the warnings and fitting hints in \$WARNINGS" {
  mkdir fakebin
  printf '%s\n' '#!/bin/sh' 'echo "scatter-gen: information" >&2' \
    'echo "scatter-gen: warning: no rule for ta: written as INVISIBLE, not downloaded" >&2' \
    'echo "scatter-gen: hint: name them in a --policy file to change that" >&2' \
    'echo "scatter-gen: hint: check --device-size" >&2' > fakebin/scatter-gen
  chmod +x fakebin/scatter-gen
  PATH=$PWD/fakebin:$PATH QUIET=1 WARNINGS=$PWD/kept \
    run --separate-stderr bash -c 'source "$0" && run_filter scatter-gen' "$MTKFW_ROOT/scripts/readback-steps.bash"
  assert_success
  assert_equal "$stderr" ""
  assert_equal "$(cat kept)" "scatter-gen: warning: no rule for ta: written as INVISIBLE, not downloaded
readback2fw: hint: name them in a --policy file to change that"
}
