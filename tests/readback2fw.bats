#!/usr/bin/env bats
# The pipeline end to end on a sample readback made by real tools (scripts/mksample), every
# output checked by tools nobody here wrote: simg2img, e2fsck, debugfs, cmp, md5sum.

load test_helper

setup_file() { make_pipeline_sample firmware-boot2; }
setup() { enter_pipeline_test; }

# START SIZE of a partition of the sample, from sfdisk (not from our own table).
range() { partition_range "$SAMPLE/User" "$1"; }

# Runs readback2fw with the tools of fakebin/ and asserts it fails (exit 1) with a message
# containing TEXT, leaving OUTDIR (out) empty.
assert_fails_cleanly() {  # TEXT
  MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure 1
  [[ "$stderr" == *"$1"* ]]
  run ls -A out
  assert_output ""
}

@test "the folder holds the scatter, preloader, images, Checksum.ini, tables and report" {
  run ls "$FW"
  assert_output "$(printf '%s\n' Checksum.ini MT6752_Android_scatter.txt boot.img cache.img lk.bin logo.bin \
    partitions.json partitions.tsv preloader_sample6752.bin recovery.img report.txt secro.img system.img \
    tee1.img tee2.img userdata.img)"
  run ls -A "$FW"
  refute_output --partial stage
  refute_output --partial .tmp
}

@test "raw images equal their partition in the dump (dd + cmp)" {
  for p in lk:lk.bin boot:boot.img recovery:recovery.img secro:secro.img logo:logo.bin tee1:tee1.img tee2:tee2.img; do
    read -r start size < <(range "${p%%:*}")
    dd if="$SAMPLE/User" bs=4M iflag=skip_bytes,count_bytes skip="$start" count="$size" status=none of=expected
    cmp expected "$FW/${p#*:}"
  done
}

@test "sparse images expand with simg2img to clean file systems holding the dump's files" {
  for p in system cache userdata; do
    read -r start size < <(range "$p")
    simg2img "$FW/$p.img" "$p.raw"
    assert_equal "$(stat -c %s "$p.raw")" "$size"
    run e2fsck -fn "$p.raw"
    assert_success
    mkdir "ours-$p" "dump-$p"
    debugfs -R "rdump / ours-$p" "$p.raw" 2>/dev/null
    debugfs -R "rdump / dump-$p" "$SAMPLE/User?offset=$start" 2>/dev/null
    (cd "ours-$p" && find . -type f -print0 | sort -z | xargs -0r md5sum) > ours.md5
    (cd "dump-$p" && find . -type f -print0 | sort -z | xargs -0r md5sum) > dump.md5
    cmp ours.md5 dump.md5
  done
  grep -q 'ro.mediatek.platform=MT6752' ours-system/build.prop
}

@test "userdata's deleted data in free blocks is left out of the sparse image" {
  read -r start size < <(range userdata)
  blocks() { xxd -p -c 4096 "$1"; }   # one hex line per 4 KiB block
  # A block from the end of the deleted file (its start may be reused by the file written after).
  head -c $(( 8 * 1024 * 1024 )) <(openssl enc -aes-128-ctr -K "$(printf deleted-video | sha256sum | cut -c1-32)" \
    -iv 00000000000000000000000000000000 -nosalt -in /dev/zero 2>/dev/null) | tail -c 4096 > needle
  dd if="$SAMPLE/User" bs=1M iflag=skip_bytes,count_bytes skip="$start" count="$size" status=none of=part
  simg2img "$FW/userdata.img" expanded
  run grep -c -x -F "$(blocks needle)" <(blocks part)
  assert_output 1                      # still in the dump's free blocks...
  run grep -c -x -F "$(blocks needle)" <(blocks expanded)
  assert_output 0                      # ...but not in the image
}

@test "the preloader equals the GFH image of BOOT1 (0x800, file_len bytes)" {
  len=$(stat -c %s "$FW/preloader_sample6752.bin")
  dd if="$SAMPLE/Boot1" bs=2048 skip=1 status=none | head -c "$len" | cmp - "$FW/preloader_sample6752.bin"
  [ "$len" -lt 262144 ]
}

@test "the scatter copies the GPT exactly, row by row (sfdisk as the oracle)" {
  sfdisk -J "$SAMPLE/User" | jq -r '.partitiontable.partitions[] | "\(.name) \(.start * 512) \(.size * 512)"' | sort > gpt
  # Tail rows are end-relative: 0xFFFF0000 + 128 KiB blocks before the end of the user area.
  user_size=$(stat -c %s "$SAMPLE/User")
  awk '/^  partition_name:/ {n=$2} /^  linear_start_addr:/ {s=$2} /^  region:/ {r=$2}
       /^  partition_size:/ {z=$2} /^  reserve:/ { if (r == "EMMC_USER" && n != "pgpt" && n != "sgpt") print n, s, z }' \
    "$FW/MT6752_Android_scatter.txt" | while read -r n s z; do
      (( (s >> 16) == 0xFFFF )) && s=$(( user_size - (s & 0xFFFF) * 131072 ))
      echo "$n $((s)) $((z))"
    done | sort > scatter
  run diff gpt scatter
  assert_success
  assert_equal "$(grep -c 'partition_index' "$FW/MT6752_Android_scatter.txt")" 22
  grep -A7 'partition_name: sgpt' "$FW/MT6752_Android_scatter.txt" | grep -q 'partition_size: 0x80000' 
}

@test "Checksum.ini: fw-checksum -c passes; one value checked by hand" {
  run fw-checksum -c "$FW/Checksum.ini" "$FW/MT6752_Android_scatter.txt"
  assert_success
  sum=$(od -An -v -tu1 "$FW/lk.bin" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "0x%04X", s % 65536 }')
  grep -q "^lk=$sum"$'\r'"\?$" "$FW/Checksum.ini"
}

@test "report: produced files, what a flasher writes, skipped partitions, checks, BOOT2" {
  run cat "$FW/report.txt"
  assert_line --regexp '^  system\.img +[0-9]+ +[0-9]+  sparse ext4 image of system$'
  assert_line --regexp '^  a flasher will write [0-9]+ bytes$'
  assert_line --regexp '^  nvram +BINREGION$'
  assert_line "BOOT2:    Boot2: empty (only 0x00 and 0xFF bytes)"
  assert_line "platform: MT6752 (from build.prop in the system or vendor partition)"
  assert_line "project:  sample6752 (from the preloader's file name)"
  assert_output --partial "ext4-sparse --verify"
}

@test "--md5, --download and --project reach the outputs" {
  readback2fw -q --md5 --download nvram --project myphone "$SAMPLE/Boot1" "$SAMPLE/User" out
  grep -q '^\[CheckSum_V2\]' out/Checksum.ini
  md5=$(md5sum out/lk.bin | cut -c1-32 | tr a-f A-F | sed 's/\(.\{8\}\)\(.\{8\}\)\(.\{8\}\)/\1-\2-\3-/')
  grep -q "^lk=$md5" out/Checksum.ini
  read -r start size < <(range nvram)
  dd if="$SAMPLE/User" bs=1M iflag=skip_bytes,count_bytes skip="$start" count="$size" status=none | cmp - out/nvram.img
  grep -q 'project: myphone' out/MT6752_Android_scatter.txt
}

@test "BOOT2 holding BOOT1's preloader, or something else, is reported" {
  readback2fw -q --boot2 "$SAMPLE/Boot1" "$SAMPLE/Boot1" "$SAMPLE/User" copy
  grep -q "^BOOT2:    Boot1: a copy of BOOT1's preloader$" copy/report.txt
  { printf "\n"; head -c 4095 /dev/urandom; } > Boot2   # a first byte of newline once read as empty
  readback2fw -q --boot2 Boot2 "$SAMPLE/Boot1" "$SAMPLE/User" other
  grep -q "^BOOT2:    Boot2: something else" other/report.txt
}

@test "a truncated USER: the cut partitions are named, nothing is written" {
  cp --sparse=always "$SAMPLE/User" User
  truncate -s 300M User
  run --separate-stderr readback2fw "$SAMPLE/Boot1" User out
  assert_failure 1
  [[ "$stderr" == *"readback2fw: error: truncated readback: userdata would be downloaded but end past the dump's 314572800 bytes; still whole: "*"system, cache"* ]]
  assert_not_exist out
}

@test "an OUTDIR holding another firmware is refused; --force replaces our files only" {
  mkdir out
  echo other > out/MT6580_Android_scatter.txt
  echo mine > out/notes.txt
  run --separate-stderr readback2fw "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure 1
  [[ "$stderr" == "readback2fw: error: out: already holds files "* ]]
  assert_equal "$(ls out | wc -l)" 2
  readback2fw -q --force "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_file_exists out/notes.txt
  assert_not_exist out/MT6580_Android_scatter.txt
  cmp out/system.img "$FW/system.img"
}

@test "no platform in build.prop: an error asking for --platform; --platform works" {
  cp --sparse=always "$SAMPLE/User" User
  read -r start size < <(range system)
  debugfs -w -R "rm /build.prop" "User?offset=$start" >/dev/null 2>&1
  run --separate-stderr readback2fw -q "$SAMPLE/Boot1" User out
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: cannot find the platform: no build.prop of the system or vendor partition in User names it (ro.mediatek.platform, ro.vendor.mediatek.platform, ro.board.platform) and $SAMPLE/Boot1's preloader carries no .../preloader/platform/mtXXXX/ build path
readback2fw: hint: give --platform MTxxxx"
  assert_not_exists out   # said before OUTDIR is made
  readback2fw -q --platform mt6752 "$SAMPLE/Boot1" User out
  assert_file_exists out/MT6752_Android_scatter.txt
}

@test "an image that does not match the dump fails verification and leaves nothing" {
  # A part-cut that flips one byte of what it writes: the cmp proof must catch it.
  fake_tool part-cut '"'"$MTKFW_ROOT"'/bin/part-cut" "$@" || exit
    out=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
    source "'"$MTKFW_ROOT"'/tests/lib/bytes.bash"; flip_byte "$out" 100'
  assert_fails_cleanly "does not equal partition"
}

@test "a failed step stops every other job's whole process tree before the stage goes" {
  # boot's part-cut is a wrapper whose child would write into the stage a second later; lk's
  # flips a byte, so the run fails while boot's wrapper still waits for that child.
  fake_tool part-cut 'out=""; prev=""; for a; do [ "$prev" = -o ] && out=$a; prev=$a; done
    case $out in */.boot.img.tmp) ( sleep 1; mkdir -p "${out%/*}/late" ) & wait ;; esac
    "'"$MTKFW_ROOT"'/bin/part-cut" "$@" || exit
    case $out in */.lk.bin.tmp) source "'"$MTKFW_ROOT"'/tests/lib/bytes.bash"; flip_byte "$out" 100 ;; esac'
  MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw -j 20 "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure 1
  [[ "$stderr" == *"lk.bin: does not equal partition lk"* ]]
  sleep 1.5   # past the moment the orphan would have written
  run ls -A out
  assert_output ""
}

@test "a sparse image that skips a used block fails verification" {
  # An ext4-sparse that writes a DONT_CARE-only image of the right size.
  fake_tool ext4-sparse 'case " $* " in *" --verify "*) exec "'"$MTKFW_ROOT"'/bin/ext4-sparse" "$@";; esac
    out=""; size=0; while [ $# -gt 0 ]; do case $1 in -o) out=$2;; --size) size=$2;; esac; shift; done
    blocks=$((size / 4096))
    source "'"$MTKFW_ROOT"'/tests/lib/bytes.bash"
    { le32 $((0xED26FF3A)); printf "\x01\x00\x00\x00\x1c\x00\x0c\x00"; le32 4096; le32 $blocks; le32 1; le32 0
      printf "\xc3\xca\x00\x00"; le32 $blocks; le32 12; } > "$out"'
  assert_fails_cleanly "DONT_CARE): skips used blocks"
}

@test "an interrupted run leaves OUTDIR as it was" {
  fake_tool ext4-sparse 'touch "'"$PWD"'/started"; sleep 20; exec "'"$MTKFW_ROOT"'/bin/ext4-sparse" "$@"'
  MTKFW_BIN=$PWD/fakebin readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/User" out &
  pid=$!
  for i in $(seq 100); do [ -e started ] && break; sleep 0.1; done
  assert_file_exists started
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  assert_equal "$status" 143
  run ls -A out
  assert_output ""
}

@test "usage: two operands are a usage error" {
  run --separate-stderr readback2fw a b
  assert_failure 2
}

# --- a failed filter's exit class and words; fields by name; --force's guard ----------------

# Runs readback2fw with the tools of fakebin/, one job at a time (one failure, one message), and
# asserts it fails with CODE, leaving OUTDIR (out) empty.
run_failing() {  # CODE
  MTKFW_BIN=$PWD/fakebin run --separate-stderr readback2fw -q -j 1 "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_failure "$1"
  run ls -A out
  assert_output ""
}

# Runs FUNCTION ARG... of readback-steps.bash in a bash of its own, as run does.
run_step() {  # FUNCTION ARG...
  run --separate-stderr bash -c 'source "$0" && "$@"' "$MTKFW_ROOT/scripts/readback-steps.bash" "$@"
}

@test "a disk-full filter in an image step: readback2fw exits 3 with the filter's words" {
  fake_tool part-cut 'for a; do case $a in */.boot.img.tmp)
      echo "part-cut: error: $a: No space left on device" >&2; exit 3 ;; esac; done
    exec "'"$MTKFW_ROOT"'/bin/part-cut" "$@"'
  run_failing 3
  [[ "$stderr" == "readback2fw: error: out/.readback2fw-stage."*"/.boot.img.tmp: No space left on device" ]]
  [[ "$stderr" != *$'\n'* ]]
}

@test "an I/O error of bl-strip --range in the preloader step is said, not taken for a mismatch" {
  # The input check runs bl-strip -q --range; the preloader step's proof runs it without -q.
  fake_tool bl-strip '[ "$1" = --range ] && { echo "bl-strip: error: $2: Input/output error" >&2; exit 3; }
    exec "'"$MTKFW_ROOT"'/bin/bl-strip" "$@"'
  run_failing 3
  assert_equal "$stderr" "readback2fw: error: $SAMPLE/Boot1: Input/output error"
}

@test "a filter's hint naming a flag readback2fw lacks (--all-blocks) is not passed on" {
  fake_tool ext4-sparse 'echo "ext4-sparse: error: system: unsupported feature" >&2
    echo "ext4-sparse: hint: use --all-blocks to copy every block instead" >&2; exit 1'
  run_failing 1
  assert_equal "$stderr" "readback2fw: error: system: unsupported feature
readback2fw: error: system.img: partition system of $SAMPLE/User cannot be written as a sparse image
readback2fw: hint: to build without system, give --skip system (it stays in the scatter, not downloaded)"
}

@test "a filter's hint naming only options readback2fw passes to it is said in readback2fw's voice" {
  fake_tool scatter-gen 'case " $* " in *" --list "*|*" --describe "*) exec "'"$MTKFW_ROOT"'/bin/scatter-gen" "$@" ;; esac
    echo "scatter-gen: error: nvram: protected" >&2
    echo "scatter-gen: hint: use --download nvram to restore it on the same phone" >&2; exit 1'
  run_failing 1
  assert_equal "$stderr" "readback2fw: error: nvram: protected
readback2fw: hint: use --download nvram to restore it on the same phone"
}

@test "relay_failure: error lines in readback2fw's voice, a hint only when every flag it names fits" {
  run_step relay_failure scatter-gen 3 "scatter-gen: warning: said before
scatter-gen: error: a: No space left on device
scatter-gen: hint: --download or --all-blocks
scatter-gen: hint: -o FILE
scatter-gen: hint: give --platform MT6752"
  assert_failure 3
  assert_equal "$stderr" "readback2fw: error: a: No space left on device
readback2fw: hint: give --platform MT6752"
  run_step relay_failure fw-checksum 1 "fw-checksum: hint: use --md5"
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: fw-checksum failed with exit status 1
readback2fw: hint: use --md5"
}

@test "a filter that dies without a word is an internal error (4), named" {
  fake_tool part-cut 'kill -KILL $$'
  run_failing 4
  assert_equal "$stderr" "readback2fw: error: part-cut failed with exit status 137"
}

@test "columns: fields by the header's names, in any column order; a missing name is an error (4)" {
  printf '# mtkfw-table 1\nsize\tname\tstart\n5\tlk\t7\n9\tboot\t8\n' > t
  run_step columns name start size < t
  assert_success
  assert_equal "$output" "$(printf 'lk\t7\t5\nboot\t8\t9')"
  run_step columns name uuid < t
  assert_failure 4
  assert_equal "$stderr" "readback2fw: error: no column uuid in the header line (filters of another mtkfw version?)"
}

@test "the table's platform and a partition's range are read by name, not position" {
  mkdir o
  { echo "# mtkfw-table 1 sector_size=512 platform=MT6752 disk_guid=X"
    printf 'name\tsize\tindex\tstart\nlk\t1024\t1\t512\n'; } > o/partitions.tsv
  OUT=o run_step table_fact platform
  assert_output MT6752
  OUT=o run_step table_fact disk_size
  assert_success
  assert_output ""
  OUT=o run_step partition_range lk
  assert_output "512 1024"
  # The real table: the GPT's lk as sfdisk sees it.
  OUT=$FW run_step partition_range lk
  assert_output "$(range lk)"
}

@test "scatter_rows reads scatter-gen --list by column name" {
  run_step scatter_rows "$FW/MT6752_Android_scatter.txt"
  assert_line "$(printf 'lk\tlk.bin\ttrue\tNORMAL_ROM\tUPDATE')"
  assert_line --regexp $'^system\tsystem\\.img\ttrue\tEXT4_IMG\t'
}

@test "the plan takes the project from the preloader's file name (bl-strip --project); none: a hint" {
  mkdir plan && cp "$FW/partitions.tsv" plan/
  BOOT1=$SAMPLE/Boot1 OUT=$PWD/plan run_step step_plan
  assert_success
  assert_line "PROJECT=sample6752"
  assert_line "PROJECT_FROM=the\\ preloader\\'s\\ file\\ name"
  source "$MTKFW_ROOT/tests/lib/bl-strip.bash"
  boot1_image Boot1 expected --name ""
  BOOT1=$PWD/Boot1 OUT=$PWD/plan run_step step_plan
  assert_failure 1
  assert_equal "$stderr" "readback2fw: error: $PWD/Boot1: the preloader carries no project name (it is saved as preloader.bin)
readback2fw: hint: give --project NAME"
}

@test "--force removes only plain file names an old scatter lists: no '..', no absolute path" {
  mkdir out
  echo keep > victim
  echo keep > abs-victim
  sed "s|file_name: lk.bin|file_name: ../victim|; s|file_name: boot.img|file_name: $PWD/abs-victim|" \
    "$FW/MT6752_Android_scatter.txt" > out/MT6752_Android_scatter.txt
  run --separate-stderr readback2fw --force "$SAMPLE/Boot1" "$SAMPLE/User" out
  assert_success
  assert_equal "$(cat victim abs-victim)" "$(printf 'keep\nkeep')"
  [[ "$stderr" == *"not removing '../victim', named by MT6752_Android_scatter.txt: not a file name in out"* ]]
  cmp out/lk.bin "$FW/lk.bin"
}

@test "run_filter: a filter that succeeds keeps its warnings; its hints pass only when they fit readback2fw" {
  mkdir fakebin
  printf '%s\n' '#!/bin/sh' \
    'echo "scatter-gen: warning: no rule for ta: written as INVISIBLE, not downloaded" >&2' \
    'echo "scatter-gen: hint: check --device-size" >&2' \
    'echo "scatter-gen: hint: give the chip with --platform" >&2' > fakebin/scatter-gen
  chmod +x fakebin/scatter-gen
  PATH=$PWD/fakebin:$PATH run_step run_filter scatter-gen
  assert_success
  assert_equal "$stderr" "scatter-gen: warning: no rule for ta: written as INVISIBLE, not downloaded
readback2fw: hint: give the chip with --platform"
}
