#!/usr/bin/env bats
# part-cut: partitions and raw ranges out of a dump, checked against dd of the same range
# (ranges from sfdisk -J), holes checked with stat, failures against doc/CLI.md.

load test_helper
source "$MTKFW_ROOT/tests/lib/part-cut.bash"

setup_file() {
  load test_helper
  source "$MTKFW_ROOT/tests/lib/part-cut.bash"
  random_dump "$BATS_FILE_TMPDIR/User"
  sparse_dump "$BATS_FILE_TMPDIR/Sparse"
}

setup() {
  U=$BATS_FILE_TMPDIR/User
  S=$BATS_FILE_TMPDIR/Sparse
  T=$BATS_TEST_TMPDIR
}

teardown() {
  if [ -n "${MOUNTED:-}" ]; then umount "$MOUNTED"; fi
  if [ -n "${LOOP:-}" ]; then losetup -d "$LOOP"; fi
}

names() {
  sfdisk -J "$1" 2>/dev/null | jq -r '.partitiontable.partitions[].name'
}

@test "every partition cut by name equals dd of its range" {
  local n=0
  for name in $(names "$U"); do
    read -r start size < <(partition_range "$U" "$name")
    run part-cut -o "$T/$name.img" "$U" "$name"
    assert_success
    assert_output ""
    dd_range "$U" "$start" "$size" > "$T/$name.dd"
    cmp "$T/$name.img" "$T/$name.dd"
    n=$((n + 1))
  done
  [ "$n" -eq 10 ]
}

@test "every partition cut by --index equals dd of its range" {
  sfdisk -J "$U" 2>/dev/null |
    jq -r '.partitiontable | .device as $d | .partitions[] | "\(.node | ltrimstr($d) | ltrimstr("p")) \(.name)"' > "$T/list"
  while read -r index name; do
    read -r start size < <(partition_range "$U" "$name")
    part-cut --index "$index" "$U" > "$T/$index.img"
    cmp "$T/$index.img" <(dd_range "$U" "$start" "$size")
  done < "$T/list"
  [ "$(wc -l < "$T/list")" -eq 10 ]
}

@test "a damaged primary GPT: the partition is found through the backup, with a warning" {
  cp "$U" "$T/Damaged"
  poke "$T/Damaged" $(( 512 + 16 )) 58585858       # "XXXX" over the header CRC32
  run part-cut -o "$T/boot.img" "$T/Damaged" boot
  assert_success
  assert_output --partial "part-cut: warning: $T/Damaged: primary GPT is damaged (header CRC32 mismatch)"
  assert_same_as_dd "$T/boot.img" "$U" boot
}

@test "raw ranges through a pipe equal dd: cat DUMP | part-cut --offset --size" {
  for name in $(names "$U"); do
    read -r start size < <(partition_range "$U" "$name")
    cat "$U" | part-cut --offset "$start" --size "$size" > "$T/out"   # pipe in, file out
    cmp "$T/out" <(dd_range "$U" "$start" "$size")
  done
  # Odd offsets and sizes, hex and suffixes, pipe in and pipe out (splice).
  cat "$U" | part-cut --offset 0x3 --size 1M | cmp - <(dd_range "$U" 3 1048576)
  cat "$U" | part-cut --offset 12345 --size 100001 -o "$T/odd"
  cmp "$T/odd" <(dd_range "$U" 12345 100001)
}

@test "a named partition to a pipe, and from a pipe" {
  read -r start size < <(partition_range "$U" system)
  part-cut "$U" system | cat > "$T/a"                      # file in, pipe out (sendfile)
  cmp "$T/a" <(dd_range "$U" "$start" "$size")
  cat "$U" | part-cut - system | cat > "$T/b"              # GPT read from the pipe, then skipped
  cmp "$T/b" <(dd_range "$U" "$start" "$size")
  part-cut "$U" system < /dev/null -o /dev/null            # a device output
  part-cut --offset "$start" --size "$size" < "$U" > "$T/c"  # stdin redirected from the file
  cmp "$T/c" <(dd_range "$U" "$start" "$size")
}

@test "a block device input (loop device) equals dd" {
  [ "$(id -u)" -eq 0 ] || skip "needs root for losetup"
  LOOP=$(losetup -f --show -r "$U") || skip "no loop devices here"
  read -r start size < <(partition_range "$U" recovery)
  part-cut -o "$T/recovery.img" "$LOOP" recovery
  cmp "$T/recovery.img" <(dd_range "$U" "$start" "$size")
}

@test "stdout: refused when a terminal, a closed pipe is SIGPIPE (141) without a word, >> appends" {
  run script -qec "part-cut --offset 0 --size 16 '$U'" /dev/null
  assert_failure 2
  assert_output --partial "part-cut: error: standard output: is a terminal"
  run bash -c "set -o pipefail; part-cut '$U' system | head -c 1 > /dev/null"
  assert_failure 141
  assert_output ""
  # Appending: the holes must not be lost (O_APPEND ignores the seeks that make them).
  printf 'head' > "$T/appended"
  part-cut "$S" userdata >> "$T/appended"
  read -r start size < <(partition_range "$S" userdata)
  cmp "$T/appended" <(printf 'head'; dd_range "$S" "$start" "$size")
}

@test "holes of the input stay holes in the output file" {
  read -r start size < <(partition_range "$S" userdata)
  run part-cut -o "$T/userdata.img" "$S" userdata
  assert_success
  cmp "$T/userdata.img" <(dd_range "$S" "$start" "$size")
  [ "$(stat -c %s "$T/userdata.img")" -eq "$size" ]
  # 1.5 MiB of data in 34 MiB; allow a few blocks of file-system slack.
  allocated=$(allocated "$T/userdata.img")
  [ "$allocated" -ge $(( 1536 * 1024 )) ]
  [ "$allocated" -le $(( 1536 * 1024 + 65536 )) ]
  # A partition that is holes all through costs nothing.
  part-cut -o "$T/flashinfo.img" "$S" flashinfo
  [ "$(allocated "$T/flashinfo.img")" -eq 0 ]
  [ "$(stat -c %s "$T/flashinfo.img")" -eq 1548288 ]
}

@test "zero runs read from a dense input or a pipe become holes, short ones stay data" {
  # Dense: 1 MiB random, 8 MiB zeros written out, 4 KiB random, 8 KiB zeros, 4 KiB random.
  { head -c 1M /dev/urandom; head -c 8M /dev/zero; head -c 4K /dev/urandom
    head -c 8K /dev/zero; head -c 4K /dev/urandom; } > "$T/dense"
  [ "$(allocated "$T/dense")" -ge $(( 9 * 1048576 )) ]
  size=$(stat -c %s "$T/dense")
  part-cut --offset 0 --size "$size" -o "$T/from-file" "$T/dense"
  cat "$T/dense" | part-cut --offset 0 --size "$size" -o "$T/from-pipe"
  for f in "$T/from-file" "$T/from-pipe"; do
    cmp "$f" "$T/dense"
    a=$(allocated "$f")
    [ "$a" -ge $(( 1048576 + 16384 )) ]   # the short zero run is written
    [ "$a" -le $(( 1048576 + 16384 + 65536 )) ]
  done
  # A mostly empty dense partition: 32 MiB of zeros with 4 KiB of data every 8 MiB.
  for i in 0 1 2 3; do head -c 4K /dev/urandom; head -c $(( 8 * 1048576 - 4096 )) /dev/zero; done > "$T/empty"
  part-cut --offset 0 --size 32M -o "$T/empty.img" "$T/empty"
  cat "$T/empty" | part-cut --offset 0 --size 32M -o "$T/empty-pipe.img"
  cmp "$T/empty.img" "$T/empty"
  cmp "$T/empty-pipe.img" "$T/empty"
  [ "$(allocated "$T/empty.img")" -le $(( 4 * 512 * 1024 )) ]     # at most a 512 KiB piece per 4 KiB
  [ "$(allocated "$T/empty-pipe.img")" -le $(( 4 * 65536 )) ]
  # A trailing zero run keeps the length.
  part-cut --offset 0 --size $(( 1048576 + 4096 * 1024 )) -o "$T/tail" "$T/dense"
  [ "$(stat -c %s "$T/tail")" -eq $(( 1048576 + 4096 * 1024 )) ]
  cmp "$T/tail" <(head -c $(( 1048576 + 4096 * 1024 )) "$T/dense")
}

@test "on XFS (reflinks) copy_file_range shares the extents and keeps the holes" {
  [ "$(id -u)" -eq 0 ] && command -v mkfs.xfs >/dev/null || skip "needs root and mkfs.xfs"
  truncate -s 300M "$T/xfs.img"
  mkfs.xfs -q "$T/xfs.img"
  mkdir "$T/mnt"
  mount -o loop "$T/xfs.img" "$T/mnt" || skip "cannot mount a loop device here"
  MOUNTED=$T/mnt
  cp --sparse=always "$S" "$T/mnt/Sparse"
  cp "$U" "$T/mnt/User"
  run part-cut -v -o "$T/mnt/system.img" "$T/mnt/User" system
  assert_success
  assert_output --partial "by copy_file_range"
  read -r start size < <(partition_range "$U" system)
  cmp "$T/mnt/system.img" <(dd_range "$U" "$start" "$size")
  run filefrag -v "$T/mnt/system.img"
  assert_output --partial "shared"
  part-cut -o "$T/mnt/userdata.img" "$T/mnt/Sparse" userdata
  read -r start size < <(partition_range "$S" userdata)
  cmp "$T/mnt/userdata.img" <(dd_range "$S" "$start" "$size")
  [ "$(allocated "$T/mnt/userdata.img")" -le $(( 1536 * 1024 + 65536 )) ]
}

@test "a truncated dump: the cut partition is an error naming the missing bytes, no file left" {
  cp --sparse=always "$U" "$T/Short"
  truncate -s $(( 60 * 1048576 )) "$T/Short"    # userdata ends at 65011712
  run part-cut -o "$T/userdata.img" "$T/Short" userdata
  assert_failure 1
  assert_output --partial "part-cut: error: $T/Short: partition userdata runs past the end of the input: $(( 65011712 - 60 * 1048576 )) bytes missing"
  assert_no_output_left "$T" userdata.img
  # A partition before the cut is still there to take, with a warning.
  run part-cut -o "$T/boot.img" "$T/Short" boot
  assert_success
  assert_output --partial "part-cut: warning: $T/Short: truncated readback"
  assert_same_as_dd "$T/boot.img" "$U" boot
}

@test "--offset past the end: file and pipe, the missing bytes named, no file left" {
  total=$(stat -c %s "$U")
  run part-cut --offset $(( total - 100 )) --size 1000 -o "$T/x" "$U"
  assert_failure 1
  assert_output "part-cut: error: $U: range $(( total - 100 ))+1000 runs past the end of the input: 900 bytes missing (it needs bytes $(( total - 100 )) to $(( total + 900 )), the input ends at $total; is the readback complete?)"
  run bash -c "cat '$U' | part-cut --offset $(( total - 100 )) --size 1000 -o '$T/x'"
  assert_failure 1
  assert_output --partial "standard input: range $(( total - 100 ))+1000 runs past the end of the input: 900 bytes missing"
  run bash -c "cat '$U' | part-cut --offset $(( total + 5 )) --size 10 -o '$T/x'"
  assert_failure 1
  assert_output --partial "15 bytes missing"
  assert_no_output_left "$T" x
}

@test "unknown name: the names that exist and the closest one, usage exit" {
  run part-cut -o "$T/out" "$U" recovry
  assert_failure 2
  assert_output "part-cut: error: $U: no partition named \"recovry\"; did you mean \"recovery\"? The partitions are: proinfo, nvram, seccfg, lk, boot, recovery, logo, system, userdata, flashinfo"
  run part-cut "$U" user
  assert_failure 2
  assert_output --partial "did you mean \"userdata\"?"
  run part-cut --index 11 "$U"
  assert_failure 2
  assert_output "part-cut: error: $U: no partition with index 11; the indexes in use are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
  assert_no_output_left "$T" out
}

@test "output on /dev/full is an I/O error from a pipe too" {
  run bash -c "cat '$U' | part-cut --offset 0 --size 1M -o /dev/full"
  assert_failure 3
  assert_output "part-cut: error: /dev/full: No space left on device"
}

@test "output through a link to the input, or stdout onto it, is refused; the input is untouched" {
  before=$(md5sum < "$U")
  ln -s "$U" "$T/link"
  run part-cut --offset 0 --size 4096 -o "$T/link" "$U"
  assert_failure 2
  run bash -c "part-cut --offset 0 --size 4096 '$U' 1<> '$U'"
  assert_failure 2
  assert_output "part-cut: error: standard output: is the same file as the input"
  [ "$(md5sum < "$U")" = "$before" ]
  [ "$(readlink "$T/link")" = "$U" ]
}

@test "usage errors exit 2 and name the problem" {
  run part-cut "$U"
  assert_failure 2
  assert_output --partial "which partition?"
  run part-cut --offset 0 "$U"
  assert_failure 2
  assert_output "part-cut: error: --offset and --size go together"
  run part-cut --offset 0 --size 12Q "$U"
  assert_failure 2
  assert_output --partial "--size"
  run part-cut --index 1 "$U" boot
  assert_failure 2
  run part-cut --index 1 --offset 0 --size 1 "$U"
  assert_failure 2
}

@test "not a GPT dump: exit 1" {
  head -c 1M /dev/zero > "$T/zeros"
  run part-cut "$T/zeros" boot
  assert_failure 1
  assert_output --partial "no valid GPT"
}

@test "--progress draws bytes, rate and ETA on stderr; quiet runs print nothing" {
  run bash -c "{ head -c 1M '$U'; sleep 0.6; tail -c +1048577 '$U' | head -c 1M; } |
               part-cut --progress --offset 0 --size 2M -o '$T/p' 2>&1"
  assert_success
  assert_output --partial "part-cut: range 0+2097152: "
  assert_output --partial "of 2.0 MiB"
  assert_output --partial "/s"
  run part-cut -q -o "$T/q" "$S" boot
  assert_success
  assert_output ""
}
