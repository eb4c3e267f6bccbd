#!/usr/bin/env bats
# fw-checksum: byte sums checked against od/awk, MD5 and XXH128 against md5sum and xxhsum,
# Checksum.ini layout byte for byte, lists accepted by md5sum -c and xxhsum -c, and the errors.

load test_helper
source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"

setup() {
  cd "$BATS_TEST_TMPDIR"
  export SOURCE_DATE_EPOCH=1700000000
}

# The V1 value computed without our code: every byte through od, added up by awk.
v1_of() { od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "0x%04X\n", s % 65536 }'; }
# The V2 value from md5sum: upper case, four dash-separated groups of 8.
v2_of() { md5sum "$1" | awk '{ h = toupper($1); print substr(h, 1, 8) "-" substr(h, 9, 8) "-" substr(h, 17, 8) "-" substr(h, 25, 8) }'; }
# The [CheckSum] value fw-checksum writes for a scatter with the single row "p:FILE:true".
ours_v1() {
  fwck_scatter one_scatter.txt "p:$1:true"
  fw-checksum one_scatter.txt | tr -d '\r' | sed -n 's/^p=//p'
}

# A firmware folder: four downloaded images (tee1 and tee2 share one file), two rows not downloaded.
make_folder() {
  mkdir -p fw
  head -c 300000 /dev/urandom >fw/preloader_fwck.bin
  head -c 1048583 /dev/urandom >fw/boot.img
  printf '\x01\x02\x03' >fw/trustzone.bin
  : >fw/logo.bin
  fwck_scatter fw/MT6752_Android_scatter.txt preloader:preloader_fwck.bin:true pgpt:NONE:false \
    boot:boot.img:true nvram:NONE:false tee1:trustzone.bin:true tee2:trustzone.bin:true logo:logo.bin:true
}

@test "byte sum: empty file is 0x0000" {
  : >empty
  run ours_v1 empty
  assert_output 0x0000
}

@test "byte sum: all-zero files are 0x0000 (1 byte, 1 MiB + 1, a sparse 64 MiB)" {
  head -c 1 /dev/zero >z1
  head -c 1048577 /dev/zero >z2
  truncate -s 64M z3
  for f in z1 z2 z3; do
    run ours_v1 $f
    assert_output 0x0000
  done
}

@test "byte sum: a file of several 64 MiB pieces (summed on all cores) agrees with python and with --md5's whole-file pass" {
  head -c 136314887 /dev/urandom >big   # 130 MiB + 7: three pieces and an odd tail
  expected=$(python3 -c 'import sys; print("0x%04X" % (sum(open(sys.argv[1], "rb").read()) % 65536))' big)
  run ours_v1 big
  assert_output "$expected"
  fwck_scatter one_scatter.txt "p:big:true"
  run bash -c "fw-checksum --md5 one_scatter.txt | tr -d '\r' | sed -n 's/^p=//p' | head -1"   # [CheckSum]; [CheckSum_V2] follows
  assert_output "$expected"
}

@test "byte sum: bytes 0..255, 0xFF runs and random data agree with od/awk" {
  python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' >ramp
  run v1_of ramp
  assert_output 0x7F80   # 255 * 256 / 2 = 32640
  run ours_v1 ramp
  assert_output 0x7F80
  head -c 300001 /dev/zero | tr '\0' '\377' >ff
  run ours_v1 ff
  assert_output "$(v1_of ff)"
  head -c 2097215 /dev/urandom >rand   # across read-buffer boundaries, odd tail
  run ours_v1 rand
  assert_output "$(v1_of rand)"
}

@test "byte sum: a file beyond 4 GiB (sparse) counts its last byte" {
  truncate -s $(( (9 << 29) - 1 )) big
  printf '\x07' >>big
  run ours_v1 big
  assert_output 0x0007
}

@test "byte sum: an Android sparse image is summed raw, as stored" {
  mkdir -p root && head -c 200000 /dev/urandom >root/data
  mke2fs -q -F -t ext4 -b 4096 -d root fs.raw 2048
  img2simg fs.raw system.img
  simg2img system.img /dev/null
  run ours_v1 system.img
  assert_output "$(v1_of system.img)"
  refute_output "$(v1_of fs.raw)"
}

# The Checksum.ini make_folder's scatter must give, values from od/awk (and md5sum with "v2").
expected_ini() {
  local rows="preloader:preloader_fwck.bin boot:boot.img tee1:trustzone.bin tee2:trustzone.bin logo:logo.bin" r
  printf '%s\r\n' '[VERSION]' "VERSION=$([ "${1:-}" = v2 ] && echo V2 || echo V1)" \
    "TOOL=fw-checksum (mtkfw) $(cat "$MTKFW_ROOT/VERSION")" 'Change_ID=1700000000' \
    '[IsEnableChecksum]' 'CHECKSUM_SWITCH=1' '[CheckSum]'
  for r in $rows; do printf '%s=%s\r\n' "${r%%:*}" "$(v1_of "fw/${r#*:}")"; done
  [ "${1:-}" = v2 ] || return 0
  printf '[CheckSum_V2]\r\n'
  for r in $rows; do printf '%s=%s\r\n' "${r%%:*}" "$(v2_of "fw/${r#*:}")"; done
}

@test "Checksum.ini layout byte for byte: sections, scatter order, shared files, CRLF" {
  make_folder
  expected_ini >expected
  run fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_success
  assert_output ""
  cmp expected fw/Checksum.ini
  grep -q $'^tee1=0x0006\r$' fw/Checksum.ini
  grep -q $'^logo=0x0000\r$' fw/Checksum.ini
}

@test "--md5: [CheckSum_V2] with dashed upper-case MD5 and VERSION=V2" {
  make_folder
  expected_ini v2 >expected
  fw-checksum --md5 fw/MT6752_Android_scatter.txt >actual
  cmp expected actual
  grep -q $'^logo=D41D8CD9-8F00B204-E9800998-ECF8427E\r$' actual
}

@test "Change_ID is the time without SOURCE_DATE_EPOCH; a bad SOURCE_DATE_EPOCH is a usage error" {
  make_folder
  unset SOURCE_DATE_EPOCH
  before=$(date +%s)
  id=$(fw-checksum fw/MT6752_Android_scatter.txt | tr -d '\r' | sed -n 's/^Change_ID=//p')
  [ "$id" -ge "$before" ]
  [ "$id" -le $(( $(date +%s) + 1 )) ]
  SOURCE_DATE_EPOCH=yesterday run fw-checksum fw/MT6752_Android_scatter.txt
  assert_failure 2
  assert_output --partial "fw-checksum: error: SOURCE_DATE_EPOCH:"
}

@test "-c: a good folder is OK (scatter found beside Checksum.ini), exit 0; none or two beside: usage error" {
  make_folder
  fw-checksum --md5 -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  run fw-checksum -c fw/Checksum.ini
  assert_success
  assert_output "$(printf '%s: OK\n' preloader boot tee1 tee2 logo)"
  cd fw
  run fw-checksum -c Checksum.ini MT6752_Android_scatter.txt
  assert_success
  cp MT6752_Android_scatter.txt MT6753_Android_scatter.txt
  run fw-checksum -c Checksum.ini
  assert_failure 2
  assert_output "fw-checksum: error: Checksum.ini: several *_Android_scatter.txt or .xml beside it: name the SCATTER file"
  rm MT675*_Android_scatter.txt
  run fw-checksum -c Checksum.ini
  assert_failure 2
}

@test "-c: a flipped byte fails naming the partition with both values, exit 1" {
  make_folder
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  old=$(v1_of fw/boot.img)
  flip_byte fw/boot.img 1000
  new=$(v1_of fw/boot.img)
  run fw-checksum -c fw/Checksum.ini
  assert_failure 1
  assert_line "boot: FAILED (expected $old, got $new)"
  assert_line "preloader: OK"
  assert_line --partial "fw-checksum: error: fw/Checksum.ini: 1 of 5 checks FAILED"
}

@test "-c: V2 is checked too (swapped bytes keep the byte sum, not the MD5)" {
  make_folder
  printf 'ab' >fw/logo.bin
  fw-checksum --md5 -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  printf 'ba' >fw/logo.bin
  run fw-checksum -c fw/Checksum.ini
  assert_failure 1
  assert_line --regexp '^logo: FAILED \(MD5 expected [0-9A-F-]{35}, got [0-9A-F-]{35}\)$'
  assert_line "boot: OK"
}

@test "-c: a downloaded row without a [CheckSum] line fails (SP Flash Tool checks it against 0)" {
  make_folder
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  grep -v '^boot=' fw/Checksum.ini >fw/less.ini
  run fw-checksum -c fw/less.ini fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_line --partial "boot: FAILED (no line in [CheckSum]"
}

@test "-c: a malformed Checksum.ini line is an error naming the line" {
  make_folder
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  sed -i '9s/.*/boot 0x1234\r/' fw/Checksum.ini
  run fw-checksum -c fw/Checksum.ini
  assert_failure 1
  assert_output "fw-checksum: error: fw/Checksum.ini: line 9: expected KEY=VALUE: 'boot 0x1234'"
  sed -i '9s/.*/boot=0x12345\r/' fw/Checksum.ini
  run fw-checksum -c fw/Checksum.ini
  assert_failure 1
  assert_output --partial "line 9: not a V1 checksum"
  printf 'hello\n' >fw/other.ini
  run fw-checksum -c fw/other.ini
  assert_failure 1
  assert_output --partial "line 1: expected KEY=VALUE"
}

@test "a missing image is an error listing every missing file; nothing is written" {
  make_folder
  rm fw/boot.img fw/trustzone.bin
  run fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_output --partial "2 file(s) missing: fw/boot.img (boot), fw/trustzone.bin (tee1, tee2)"
  assert_line "fw-checksum: hint: --skip-missing leaves them out"
  assert_file_not_exists fw/Checksum.ini
  assert_no_output_left fw Checksum.ini
}

@test "--skip-missing leaves missing images out with a warning" {
  make_folder
  rm fw/boot.img
  run fw-checksum --skip-missing -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_success
  assert_output "fw-checksum: warning: fw/boot.img (boot): missing, left out (--skip-missing)"
  run grep -c '=0x' fw/Checksum.ini
  assert_output 4
  run grep boot= fw/Checksum.ini
  assert_failure
}

@test "-c: a missing image fails open or read, exit 1" {
  make_folder
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  rm fw/logo.bin
  run fw-checksum -c fw/Checksum.ini
  assert_failure 1
  assert_line "logo: FAILED open or read"
  assert_line "fw-checksum: warning: fw/logo.bin: No such file or directory"
  run fw-checksum --skip-missing -c fw/Checksum.ini
  assert_success
  assert_line "fw-checksum: warning: fw/logo.bin (logo): missing, left out (--skip-missing)"
  refute_line --partial "logo: "
  assert_line "boot: OK"
}

@test "an unreadable image (symlink loop, directory) is an I/O or input error, nothing written" {
  make_folder
  rm fw/boot.img && ln -s boot.img fw/boot.img
  run fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_failure 3
  assert_output "fw-checksum: error: fw/boot.img: Too many levels of symbolic links"
  assert_no_output_left fw Checksum.ini
  rm fw/boot.img && mkdir fw/boot.img
  run fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_output "fw-checksum: error: fw/boot.img: is a directory"
  run fw-checksum --format md5sum fw/boot.img
  assert_failure 1
  if [ "$(id -u)" != 0 ]; then   # root reads through mode 000
    rmdir fw/boot.img && : >fw/boot.img && chmod 000 fw/boot.img
    run fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
    assert_failure 3
    assert_output "fw-checksum: error: fw/boot.img: Permission denied"
  fi
}

@test "a scatter with no downloadable rows is an error" {
  fwck_scatter MT6752_Android_scatter.txt pgpt:NONE:false proinfo:NONE:false boot:boot.img:false
  run fw-checksum MT6752_Android_scatter.txt
  assert_failure 1
  assert_output "fw-checksum: error: MT6752_Android_scatter.txt: no downloaded partition with a file (is_download: true)"
}

@test "--format md5sum and xxh128: byte-identical to md5sum / xxhsum -H2, accepted by their -c" {
  for i in 1 2 3 4 5 6 7; do head -c $(( i * 150001 )) /dev/urandom >"f $i"; done
  printf 'x' >'back\slash'
  : >empty
  files=("f 1" "f 2" "f 3" "f 4" "f 5" "f 6" "f 7" 'back\slash' empty)
  fw-checksum --format md5sum "${files[@]}" >ours.md5
  md5sum "${files[@]}" >theirs.md5
  cmp theirs.md5 ours.md5
  run md5sum -c ours.md5
  assert_success
  fw-checksum --format xxh128 -o ours.xxh "${files[@]}"
  xxhsum -H2 "${files[@]}" >theirs.xxh
  cmp theirs.xxh ours.xxh
  run xxhsum -c ours.xxh
  assert_success
  run fw-checksum --format md5sum - <"f 3"
  assert_output "$(md5sum - <"f 3")"
}

@test "one file: MD5 on its own thread beside the read agrees with md5sum, and so does -j 1" {
  head -c 5242887 /dev/urandom >one.img
  fwck_scatter one_scatter.txt p:one.img:true
  fw-checksum --md5 --xxh128-list one.xxh one_scatter.txt | tr -d '\r' >ini
  grep -qx "p=$(v1_of one.img)" ini
  grep -qx "p=$(v2_of one.img)" ini
  run xxhsum -c one.xxh
  assert_success
  run fw-checksum --format md5sum one.img
  assert_output "$(md5sum one.img)"
  run fw-checksum -j 1 --format md5sum one.img one.img
  assert_output "$(md5sum one.img one.img)"
}

@test "SCATTER mode writes md5sum and xxhsum lists of the images in the same read" {
  make_folder
  fw-checksum --md5-list fw/MD5SUMS --xxh128-list fw/XXH128SUMS -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  run grep -c . fw/MD5SUMS
  assert_output 4
  cd fw
  md5sum -c MD5SUMS
  xxhsum -c XXH128SUMS
  run fw-checksum --format xxh128 -c XXH128SUMS
  assert_success
}

@test "--format -c: a flipped byte fails naming the file, like md5sum -c and xxhsum -c" {
  head -c 100000 /dev/urandom >a.img
  head -c 100000 /dev/urandom >b.img
  fw-checksum --format md5sum a.img b.img >L.md5
  fw-checksum --format xxh128 a.img b.img >L.xxh
  run fw-checksum --format md5sum -c L.md5
  assert_success
  assert_output "$(printf 'a.img: OK\nb.img: OK')"
  flip_byte b.img 5
  for f in md5sum:L.md5 xxh128:L.xxh; do
    run fw-checksum --format "${f%%:*}" -c "${f#*:}"
    assert_failure 1
    assert_line "a.img: OK"
    assert_line "b.img: FAILED"
  done
  run md5sum -c L.md5
  assert_failure
  rm a.img
  run fw-checksum --format md5sum -c L.md5
  assert_failure 1
  assert_line "a.img: FAILED open or read"
  run fw-checksum --format md5sum --skip-missing -c L.md5
  assert_failure 1
  assert_line "fw-checksum: warning: a.img: missing, left out (--skip-missing)"
  refute_line "a.img: FAILED open or read"
}

@test "--format -c: a malformed list line is an error naming the line" {
  printf 'x' >a
  md5sum a >L
  echo 'not a checksum line' >>L
  run fw-checksum --format md5sum -c L
  assert_failure 1
  assert_output "fw-checksum: error: L: line 2: expected 32 hex digits, two spaces and a file name: 'not a checksum line'"
}

@test "usage errors: no SCATTER, bad --format, output over an input" {
  run fw-checksum
  assert_failure 2
  run fw-checksum --format sha1 x
  assert_failure 2
  assert_output --partial "--format: 'sha1' is not a list format"
  make_folder
  run fw-checksum -o fw/boot.img fw/MT6752_Android_scatter.txt
  assert_failure 2
  assert_output "fw-checksum: error: fw/boot.img: output is the same file as the input"
  run fw-checksum --format md5sum -c L extra
  assert_failure 2
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  run fw-checksum -c fw/Checksum.ini -o out
  assert_failure 2
  assert_file_not_exists out
}

@test "a partition name that cannot be a Checksum.ini key is refused, nothing written" {
  printf 'x' >x.img
  fwck_scatter MT6752_Android_scatter.txt 'a=b:x.img:true'
  run fw-checksum -o Checksum.ini MT6752_Android_scatter.txt
  assert_failure 1
  assert_output "fw-checksum: error: 'a=b': cannot be a Checksum.ini key (partition name)"
  assert_file_not_exists Checksum.ini
}

@test "--threads is a count from 1 to 1024: a size suffix, 0 or more are usage errors" {
  printf 'x' >a
  for n in 4K 0 1025 0x10 x; do
    run fw-checksum --threads "$n" --format md5sum a
    assert_failure 2
    assert_output "fw-checksum: error: --threads: expected a number of threads from 1 to 1024, got '$n'"
  done
  run fw-checksum --threads 1024 --format md5sum a
  assert_success
  assert_output "$(md5sum a)"
}

@test "-c without SCATTER: a folder that cannot be listed is an I/O error naming it" {
  make_folder
  fw-checksum -o fw/Checksum.ini fw/MT6752_Android_scatter.txt
  # Root reads any folder: list this one as nobody, who may enter it (x) but not read it.
  command -v setpriv >/dev/null || skip "no setpriv to drop root"
  chmod 711 fw
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  as_nobody test -r fw/Checksum.ini || skip "the scratch folder is closed to nobody"
  run as_nobody fw-checksum -c fw/Checksum.ini
  chmod 755 fw
  assert_failure 3
  assert_output "fw-checksum: error: fw: Permission denied"
}

# --- digest records: the digests of a proof's read, Checksum.ini without a second read -----

# Records of every image of make_folder's folder, each taken of the bytes through a pipe.
make_records() {
  mkdir -p rec
  for f in preloader_fwck.bin boot.img trustzone.bin logo.bin; do
    fw-checksum --record "$@" -o "rec/$f.digests" < "fw/$f"
  done
}

@test "--record: bytes, the byte sum (od/awk) and the MD5 (md5sum) of a file or of stdin" {
  make_folder
  run fw-checksum --record --md5 fw/boot.img
  assert_success
  # A record's hex digits are lower case; od/awk's value is upper case.
  v1=$(v1_of fw/boot.img | tr A-F a-f)
  assert_output "# mtkfw-digests 1
bytes=1048583
sum=0x${v1#0x}
md5=$(md5sum < fw/boot.img | cut -d' ' -f1)"
  head -c 5000 /dev/urandom > piped
  cat piped | fw-checksum --record -o piped.digests
  assert_equal "$(sed -n 2p piped.digests)" "bytes=5000"
  run grep -c '^md5=' piped.digests   # no --md5, no MD5
  assert_output 0
}

@test "--record --copy: the bytes pass through unchanged (cmp), the record is the same as without it" {
  make_folder
  fw-checksum --record --md5 -o plain.digests fw/boot.img
  fw-checksum --record --md5 --copy -o copied.digests fw/boot.img | cmp - fw/boot.img
  cmp plain.digests copied.digests
  # A reader that stops early: the copy dies of SIGPIPE, silently, and leaves no record.
  run bash -c 'fw-checksum --record --copy -o cut.digests fw/boot.img | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"'
  assert_output 141
  [ ! -e cut.digests ]
  run fw-checksum --record --copy fw/boot.img
  assert_failure 2
  assert_output --partial "fw-checksum: error: --copy: the bytes go to standard output: give the record a file (-o RECORD)"
  run fw-checksum --copy -o x fw/MT6752_Android_scatter.txt
  assert_failure 2
  assert_output --partial "--copy: copies what --record reads: give --record"
}

@test "--records DIR: the same Checksum.ini (V1 and V2) as reading the images, without reading them" {
  make_folder
  make_records --md5
  fw-checksum --md5 -o read.ini fw/MT6752_Android_scatter.txt
  fw-checksum --md5 --records rec -o recorded.ini fw/MT6752_Android_scatter.txt
  cmp read.ini recorded.ini
  # Not read: records of other bytes of the same sizes give their values, not the files'.
  printf '\x01\x02\x04' | fw-checksum --record --md5 -o rec/trustzone.bin.digests
  fw-checksum --md5 --records rec fw/MT6752_Android_scatter.txt > other.ini
  grep -q $'^tee1=0x0007\r$' other.ini
  (cd fw && fw-checksum -c /dev/stdin MT6752_Android_scatter.txt < ../other.ini) > check.out || true
  grep -q 'tee1: FAILED' check.out
}

@test "--records: a missing, malformed or other-sized record, or one without MD5 for --md5, is an error naming it" {
  make_folder
  make_records
  run fw-checksum --md5 --records rec fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_output --partial "fw-checksum: error: rec/preloader_fwck.bin.digests: no md5= line"
  head -c 10 fw/boot.img | fw-checksum --record -o rec/boot.img.digests
  run fw-checksum --records rec fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_output --partial "rec/boot.img.digests: digests of 10 bytes, but fw/boot.img has 1048583: the record is not of this file"
  printf '# mtkfw-digests 1\nbytes=3\nsum=0x12345\n' > rec/boot.img.digests
  run fw-checksum --records rec fw/MT6752_Android_scatter.txt
  assert_failure 1
  assert_output --partial "rec/boot.img.digests: line 3: expected sum=0xhhhh"
  rm rec/boot.img.digests
  run fw-checksum -o out.ini --records rec fw/MT6752_Android_scatter.txt
  assert_failure 3
  assert_output --partial "rec/boot.img.digests"
  [ ! -e out.ini ]
}

@test "--record and --records: usage errors for what they are not for" {
  make_folder
  run fw-checksum --record --format md5sum fw/boot.img
  assert_failure 2
  assert_output --partial "fw-checksum: error: --record: digests one FILE"
  run fw-checksum --record fw/boot.img fw/logo.bin
  assert_failure 2
  assert_output --partial "a second one"
  run fw-checksum --records rec --xxh128-list x.list fw/MT6752_Android_scatter.txt
  assert_failure 2
  assert_output --partial "--xxh128-list: needs the images read"
  run fw-checksum -c fw/Checksum.ini --records rec
  assert_failure 2
}
