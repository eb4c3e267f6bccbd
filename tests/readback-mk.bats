#!/usr/bin/env bats
# scripts/readback.mk, the Makefile fragment, run for real with make -j2 on a sample readback made
# by scripts/mksample: the folder it makes, its failures, its state, what it does to changed files.

load test_helper

setup_file() { make_pipeline_sample firmware-boot2; }
setup() { enter_pipeline_test; }

# The fragment with make -j2; make's variables of an outer make (make test) are not passed on.
mk() {  # VAR=VALUE... [TARGET...]
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -f "${MK:-$MTKFW_ROOT/scripts/readback.mk}" "$@"
}

# The sample's dumps into FOLDER (default out).
mk_sample() {  # [FOLDER [VAR=VALUE...]]
  local out=${1:-out}
  shift || true
  mk BOOT1="$SAMPLE/Boot1" USER="$SAMPLE/User" OUT="$out" "$@"
}

# A wrapper of TOOL, first on PATH and as MTKFW_BIN: CODE runs (the arguments in "$@"), then the
# real tool.
wrap_tool() {  # TOOL CODE
  mkdir -p wrap
  printf '#!/usr/bin/env bash\n%s\nexec %q "$@"\n' "$2" "$(command -v "$1")" > "wrap/$1"
  chmod +x "wrap/$1"
}
wrapped() { MTKFW_BIN=$PWD/wrap PATH="$PWD/wrap:$PATH" "$@"; }

# Fails when FOLDER holds a scatter file: a folder SP Flash Tool would load as a firmware.
refute_firmware() {  # FOLDER
  run compgen -G "$1/*scatter*"
  assert_failure
}

# Every file of FOLDER with its inode, size and modification time.
identities() { (cd "$1" && stat -c '%n %i %s %.9Y' -- * | sort); }

@test "readback.mk makes readback2fw's folder, no state inside it; a second run changes nothing" {
  mk_sample mk BOOT2="$SAMPLE/Boot2"
  run diff -r -x .mtkfw "$FW" mk
  assert_success
  run ls -A mk
  refute_line --regexp '^\.'   # no .mtkfw, no stage, no temporary: only the firmware's files
  assert_line Checksum.ini
  assert_dir_exists mk.mtkfw-state/stage
  assert_file_exists mk.mtkfw-state/plan.mk
  before=$(identities mk)
  mk_sample mk BOOT2="$SAMPLE/Boot2"
  assert_equal "$(identities mk)" "$before"
}

@test "STATE= puts the state elsewhere; OUT/ with a slash is the same folder" {
  mk_sample mk/ STATE="$PWD/state"
  assert_dir_exists state/stage
  assert_not_exist mk.mtkfw-state
  run diff -r -x .mtkfw -x report.txt "$FW" mk
  assert_success
}

@test "one file alone is made again from the dump; OUT has no scatter until the next full run" {
  mk_sample mk
  rm mk/boot.img
  mk_sample mk mk/boot.img
  cmp mk/boot.img "$FW/boot.img"
  refute_firmware mk
  mk_sample mk
  run diff -r -x .mtkfw -x report.txt "$FW" mk
  assert_success
}

@test "a first step that fails is a failure with the filter's words, and no folder" {
  cp --sparse=always "$SAMPLE/User" cut
  truncate -s 300M cut
  head -c 4M /dev/zero | tr '\0' '\377' > erased
  for case in "$SAMPLE/Boot1 cut truncated readback: userdata would be downloaded" \
              "$SAMPLE/User $SAMPLE/Boot1 $SAMPLE/Boot1: no valid GPT" \
              "erased $SAMPLE/User erased: not a BOOT1 readback" \
              "$SAMPLE/Boot1 missing missing: No such file or directory"; do
    read -r boot1 user text <<<"$case"
    run --separate-stderr mk BOOT1="$boot1" USER="$user" OUT=out
    assert_failure
    [[ "$stderr" == *"readback2fw: error: $text"* ]]
    assert_not_exist out
  done
}

@test "BOOT2 or POLICY that cannot be read is named before anything is made" {
  for var in BOOT2 POLICY; do
    run --separate-stderr mk_sample out "$var=nothing-here"
    assert_failure
    [[ "$stderr" == *"readback2fw: error: nothing-here: No such file or directory"* ]]
    assert_not_exist out
    assert_not_exist out.mtkfw-state
  done
}

@test "paths make cannot name in a rule are refused, the path named" {
  mkdir 'with space'
  ln -s "$SAMPLE/User" 'with space/User'
  ln -s "$SAMPLE/User" 'a:b'
  for var in "USER=with space/User" "USER=a:b" "OUT=fw#1" "BOOT2=x;y"; do
    run --separate-stderr mk BOOT1="$SAMPLE/Boot1" USER="$SAMPLE/User" OUT=out "$var"
    assert_failure
    [[ "$stderr" == *"readback.mk: error: $var: make cannot name this path in a rule"* ]]
  done
  assert_not_exist out
  assert_not_exist fw#1
}

@test "the installed fragment finds the installed filters; without them it names each one missing" {
  unset MTKFW_BIN   # the filters of make test-sanitize would hide the installed ones
  root_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$MTKFW_ROOT" "$@"; }
  root_make -q all || skip "bin/ is not built (make test-sanitize builds build/san only): no build inside a test"
  root_make install PREFIX="$PWD/inst" >/dev/null
  PATH=/usr/bin:/bin MK=inst/share/mtkfw/readback.mk mk_sample out
  run diff -r -x .mtkfw -x report.txt "$FW" out
  assert_success
  mkdir alone
  cp inst/share/mtkfw/* alone/
  PATH=/usr/bin:/bin MK=alone/readback.mk run --separate-stderr mk_sample out2
  assert_failure
  [[ "$stderr" == *"readback.mk: error: gpt-list not found"* ]]
  [[ "$stderr" == *"readback.mk: error: fw-checksum not found"* ]]
  assert_not_exist out2
}

@test "an output that is an input (by name, symlink or hard link) is refused; the dumps stay as they were" {
  cp "$SAMPLE/Boot1" Boot1
  mkdir name symlink hardlink tmpname
  cp --sparse=always "$SAMPLE/User" name/userdata.img
  ln -s ../Boot1 symlink/preloader_sample6752.bin
  cp --sparse=always "$SAMPLE/User" User
  ln User hardlink/system.img
  ln Boot1 tmpname/.boot.img.tmp
  md5sum Boot1 User name/userdata.img > sums
  for case in "name Boot1 name/userdata.img name/userdata.img" \
              "symlink Boot1 User symlink/preloader_sample6752.bin" \
              "hardlink Boot1 User hardlink/system.img" \
              "tmpname Boot1 User tmpname/.boot.img.tmp"; do
    read -r out boot1 user path <<<"$case"
    before=$(ls -A "$out")
    run --separate-stderr mk BOOT1="$boot1" USER="$user" OUT="$out"
    assert_failure
    [[ "$stderr" == *"readback2fw: error: $path: is the input "*"(the same file)"* ]]
    assert_equal "$(ls -A "$out")" "$before"
  done
  md5sum -c --quiet sums
}

@test "a changed image is made again from the dump; Checksum.ini and report.txt only from proven bytes" {
  mk_sample mk
  touch mk/boot.img                                       # a new modification time
  printf X | dd of=mk/lk.bin bs=1 seek=100 conv=notrunc status=none
  touch -r mk/recovery.img mk/lk.bin                      # new bytes, the old time
  printf X | dd of=mk/system.img bs=1 seek=5000 conv=notrunc status=none
  echo "all verified" >> mk/report.txt
  mk_sample mk
  run diff -r -x .mtkfw -x report.txt "$FW" mk
  assert_success
  read -r start size < <(partition_range "$SAMPLE/User" lk)
  dd_range "$SAMPLE/User" "$start" "$size" | cmp - mk/lk.bin
  run grep -c "all verified" mk/report.txt
  assert_output 0
  (cd mk && fw-checksum -q -c Checksum.ini MT6752_Android_scatter.txt)
}

@test "a new setting is made, not taken as done: MD5=1, PROJECT= given and taken away" {
  mk_sample mk
  run grep -c '^\[CheckSum_V2\]' mk/Checksum.ini
  assert_output 0
  mk_sample mk MD5=1
  grep -q '^\[CheckSum_V2\]' mk/Checksum.ini
  (cd mk && fw-checksum -q -c Checksum.ini MT6752_Android_scatter.txt)
  mk_sample mk PROJECT=myphone
  grep -q 'project: myphone' mk/MT6752_Android_scatter.txt
  grep -q '^project:  myphone (from --project)$' mk/report.txt
  mk_sample mk   # the project from the preloader's name again, not the last plan's
  grep -q 'project: sample6752' mk/MT6752_Android_scatter.txt
  grep -q "^project:  sample6752 (from the preloader's file name)$" mk/report.txt
}

@test "a failed run leaves no scatter in OUT: on a new folder and over a finished firmware" {
  wrap_tool ext4-sparse 'case " $* " in *" --verify "*) ;; *) echo "ext4-sparse: error: write: No space left on device" >&2; exit 3 ;; esac'
  run --separate-stderr wrapped mk_sample new
  assert_failure
  [[ "$stderr" == *"readback2fw: error: write: No space left on device"* ]]
  refute_firmware new
  mk_sample done
  touch done/system.img
  run --separate-stderr wrapped mk_sample done
  assert_failure
  refute_firmware done
  mk_sample done   # the real filter: the firmware is back
  run diff -r -x .mtkfw -x report.txt "$FW" done
  assert_success
}

@test "SKIP and POLICY reach the steps' environment; a new POLICY makes the scatter again" {
  echo "# no rule" > policy
  wrap_tool scatter-gen 'case " $* " in *" --list "*|*" --describe "*) ;; *) echo "SKIP=$SKIP POLICY=$POLICY" >> "'"$PWD"'/seen" ;; esac'
  wrapped mk_sample mk SKIP=cache POLICY=policy
  run cat seen
  assert_output "SKIP=cache POLICY=policy"
  wrapped mk_sample mk SKIP=cache POLICY=policy
  assert_equal "$(wc -l < seen)" 1
  echo "# another" > policy2
  wrapped mk_sample mk SKIP=cache POLICY=policy2
  assert_equal "$(tail -1 seen)" "SKIP=cache POLICY=policy2"
}

@test "a truncated USER: refused naming the cut partition; SKIP=userdata builds the rest, reported as skipped" {
  cut_inside "$SAMPLE/User" userdata User
  run --separate-stderr mk BOOT1="$SAMPLE/Boot1" USER=User OUT=out
  assert_failure
  [[ "$stderr" == *"truncated readback: userdata would be downloaded"* ]]
  refute_firmware out
  run --separate-stderr mk BOOT1="$SAMPLE/Boot1" USER=User OUT=out SKIP=userdata
  assert_success
  assert_not_exist out/userdata.img
  grep -A3 'partition_name: userdata' out/MT6752_Android_scatter.txt | grep -q 'is_download: false'
  grep -q 'userdata .*skipped' out/report.txt
  (cd out && fw-checksum -c Checksum.ini MT6752_Android_scatter.txt >/dev/null)
  simg2img out/system.img system.raw
  e2fsck -fn system.raw
}

@test "stamps: a file changed after its proof is named, even with its old modification time" {
  export MTKFW_STATE=$PWD/state BOOT1="" USER="" OUT=$PWD
  source "$MTKFW_ROOT/scripts/readback-steps.bash"
  echo proven > file
  stamp_proven "$PWD/file"
  stamps_hold "$PWD/file"
  cp -p file copy
  sleep 0.05   # past the kernel's coarse clock tick: a change time of its own
  echo provex > file   # the same inode and size,
  touch -r copy file   # the old modification time
  run --separate-stderr stamps_hold "$PWD/file"
  assert_failure
  [[ "$stderr" == *"file: changed since it was checked against the dumps"* ]]
  run unproven "$PWD/file" "$PWD/copy"
  assert_output "$(printf '%s\n' "$PWD/file" "$PWD/copy")"
}
