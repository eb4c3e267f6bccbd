#!/usr/bin/env bats
# The measuring tools of the benchmarks (tests/bench), checked against real tools so that the
# bench's numbers can be trusted: sparse-walk (bytes a flasher writes) against img2simg and
# simg2img, lp-layout (lpmake flags and unallocated space from lpdump) against lpmake itself,
# evict against fincore, read-ranges against dd, io-by-file against what cat, dd, mmap and cp do.

load test_helper
source "$MTKFW_ROOT/tests/lib/super.bash"
source "$MTKFW_ROOT/tests/lib/ext4-sparse.bash"

setup() {
  cd "$BATS_TEST_TMPDIR"
  B=$MTKFW_ROOT/tests/bench
}

@test "sparse-walk: an img2simg image of random data is written whole; a DONT_CARE run is not counted" {
  head -c $((64 * 4096)) /dev/urandom > raw.img
  img2simg raw.img full.simg
  run "$B/sparse-walk" full.simg
  assert_success
  read -r written raw fill dc total chunks <<< "$output"
  assert_equal "$written" $((64 * 4096))
  assert_equal "$total" $((64 * 4096))
  assert_equal "$dc" 0
  # Blocks 10..29 DONT_CARE (a sparse image written by python, not by us).
  es_plan_image raw.img hole.simg 10 29
  simg2img hole.simg /dev/null
  run "$B/sparse-walk" hole.simg
  assert_success
  assert_output "$((44 * 4096)) $((44 * 4096)) 0 $((20 * 4096)) $((64 * 4096)) 3"
}

@test "sparse-walk: zeros are FILL and counted as written; a lying chunk is refused" {
  head -c $((16 * 4096)) /dev/zero > zero.img
  img2simg zero.img zero.simg
  run "$B/sparse-walk" zero.simg
  assert_success
  read -r written raw fill _ <<< "$output"
  assert_equal "$written" $((16 * 4096))
  assert_equal "$fill" $((16 * 4096))
  # The one chunk's total size (bytes 36..39) made 4 bytes larger: not a FILL body.
  poke zero.simg 36 14
  run "$B/sparse-walk" zero.simg
  assert_failure
  assert_output --partial "fill of 16 blocks has 8 bytes of body"
}

@test "lp-layout: lpmake given the flags it derives from lpdump remakes the same super" {
  need_lp_peers
  super_fixture vab s.img
  run "$MTKFW_ROOT/tests/lib/lp-layout" s.img flags
  assert_success
  assert_output --partial "--virtual-ab"
  assert_output --partial "--metadata-slots=3"
  read -r -a flags <<< "$output"
  "$LP_BIN/lpmake" "${flags[@]}" --force-full-image --output=again.img >/dev/null 2>&1
  diff <("$LP_BIN/lpdump" s.img) <("$LP_BIN/lpdump" again.img)
  # The metadata bytes themselves (reserved area, geometry, every slot) are the same.
  n=$("$MTKFW_ROOT/tests/lib/lp-layout" s.img metadata)
  cmp <(head -c "$n" s.img) <(head -c "$n" again.img)
  run "$MTKFW_ROOT/tests/lib/lp-layout" s.img partitions
  assert_success
  assert_output "system_a $((24 << 20))
vendor_a $((12 << 20))
product_a $(_mib_up s.img.d/product_a.img)"
}

@test "lp-layout: the unallocated ranges are those lpdump's layout leaves, up to the device's end" {
  need_lp_peers
  super_fixture nonab s.img
  run "$MTKFW_ROOT/tests/lib/lp-layout" s.img unallocated
  assert_success
  # lpdump: system from sector 2048 for 20 MiB, vendor right after; free from vendor's end on.
  end=$(( (2048 + 40960) * 512 + $(_mib_up s.img.d/vendor.img) ))
  assert_output "$end $(( (64 << 20) - end ))"
  run "$MTKFW_ROOT/tests/lib/lp-layout" s.img metadata
  assert_output $((4096 + 2 * 4096 + 2 * 2 * 65536))
}

@test "evict: the file's pages leave the page cache" {
  command -v fincore >/dev/null || skip "fincore (util-linux) missing"
  # On disk: tmpfs pages (make test's TMPDIR is /dev/shm) are the file itself and cannot leave.
  local d f
  d=$(mktemp -d /var/tmp/mtkfw-evict.XXXXXX)
  f=$d/f
  head -c $((8 << 20)) /dev/urandom > "$f"
  cat "$f" > /dev/null
  run "$B/evict" "$f"
  assert_success
  run fincore -b -n -o RES "$f"
  rm -rf "$d"
  assert_success
  assert_equal "${output// /}" 0
}

@test "read-ranges: the listed ranges, once each, in order, into OUT; a range past the end is refused" {
  head -c 100000 /dev/urandom > f
  printf '10 20\n50000 40000\n0 1\n' > ranges
  run "$B/read-ranges" f ranges out
  assert_success
  cmp out <({ dd if=f bs=1 skip=10 count=20 status=none; dd if=f bs=1 skip=50000 count=40000 status=none
              head -c 1 f; })
  run "$B/read-ranges" f ranges
  assert_success
  printf '99990 11\n' > past
  run "$B/read-ranges" f past out2
  assert_failure
  assert_output --partial "read-ranges: f: ends before byte 100001"
}

@test "io-by-file: reads, maps and writes of each file under strace, by path; pipes left out" {
  command -v strace >/dev/null || skip "strace missing"
  head -c 300000 /dev/urandom > in
  # cat reads the file whole into a pipe; dd reads 100000 bytes of it and writes them to a file;
  # python maps 200000 bytes of it and touches them; cp copies it (copy_file_range or read/write).
  strace -ff -qq -y -o tr -e trace=read,pread64,readv,preadv,preadv2,write,pwrite64,writev,pwritev,pwritev2,mmap,copy_file_range,sendfile sh -c "
    cat in | cat > /dev/null
    dd if=in of=out bs=50000 count=2 status=none
    python3 -c 'import mmap, os; f = os.open(\"in\", os.O_RDONLY); m = mmap.mmap(f, 200000, prot=mmap.PROT_READ); sum(m[::4096])'
    cp in copy"
  run "$B/io-by-file" tr.*
  assert_success
  in_row=$(grep " $PWD/in\$" <<<"$output")
  read -r r m w _ <<<"$in_row"
  # cat 300000 + dd 100000 + cp 300000 read; python's 200000 mapped (libraries are other paths).
  assert_equal "$r $w" "700000 0"
  [ "$m" -ge 200000 ]
  read -r r _ w _ < <(grep " $PWD/out\$" <<<"$output")
  assert_equal "$r $w" "0 100000"
  read -r r _ w _ < <(grep " $PWD/copy\$" <<<"$output")
  assert_equal "$r $w" "0 300000"
  ! grep -q 'pipe:' <<<"$output"
}

@test "sparse-walk --ranges: RAW and FILL chunks as byte ranges of the dump, from BASE, DONT_CARE left out" {
  # 8 blocks random, 4 zero (img2simg: FILL), 4 random; then blocks 2..3 made DONT_CARE by python.
  { head -c $((8 * 4096)) /dev/urandom; head -c $((4 * 4096)) /dev/zero; head -c $((4 * 4096)) /dev/urandom; } > raw.img
  img2simg raw.img a.simg
  run "$B/sparse-walk" --ranges 1000 a.simg
  assert_success
  assert_output "1000 $((8 * 4096)) raw
$((1000 + 8 * 4096)) $((4 * 4096)) fill
$((1000 + 12 * 4096)) $((4 * 4096)) raw"
  es_plan_image raw.img hole.simg 2 3
  run "$B/sparse-walk" --ranges 0 hole.simg
  assert_success
  assert_line --index 0 "0 $((2 * 4096)) raw"
  assert_line --index 1 "$((4 * 4096)) $((12 * 4096)) raw"
  # The ranges hold the image's bytes: read-ranges of them equals simg2img's RAW blocks.
  "$B/sparse-walk" --ranges 0 a.simg | awk '$3 == "raw" { print $1, $2 }' > held
  "$B/read-ranges" raw.img held out
  cmp out <({ head -c $((8 * 4096)) raw.img; tail -c $((4 * 4096)) raw.img; })
}

@test "io-by-file --used: reads and mappings counted where they meet the ranges, each byte once per process" {
  command -v strace >/dev/null || skip "strace missing"
  head -c 409600 /dev/urandom > in
  printf '0 100000 raw\n200000 100000 fill\n' > used
  # dd reads 50000 bytes from 0 (plain reads: whole); python preads 100000 at 150000 (50000 in
  # the used ranges) and maps 4096*60 bytes from 4096*40 (163840..409600: 100000 in them, of
  # which 200000..250000 it read already: 50000 mapped in them, 109600 out of them).
  strace -ff -qq -y -o tr -e trace=read,pread64,mmap sh -c "
    dd if=in of=/dev/null bs=50000 count=1 status=none
    python3 -c 'import mmap, os; f = os.open(\"in\", os.O_RDONLY); os.pread(f, 100000, 150000)
m = mmap.mmap(f, 4096 * 60, prot=mmap.PROT_READ, offset=4096 * 40)'"
  run "$B/io-by-file" --used "$PWD/in" used tr.*
  assert_success
  assert_line "used 100000 50000 109600 $PWD/in"
  # A residency probe (mtkfw's Window): a mapping dropped for a pread of the same bytes is not a
  # read by mapping; copy_file_range from an offset counts where it meets the ranges.
  rm -f tr.*
  strace -ff -qq -y -o tr -e trace=read,pread64,mmap,copy_file_range python3 -c '
import mmap, os
f = os.open("in", os.O_RDONLY)
m = mmap.mmap(f, 4096 * 10, prot=mmap.PROT_READ, offset=0); m.close(); os.pread(f, 4096 * 10, 0)
o = os.open("copy", os.O_WRONLY | os.O_CREAT, 0o644); os.copy_file_range(f, o, 50000, 60000)'
  run "$B/io-by-file" --used "$PWD/in" used tr.*
  assert_success
  # 50000 bytes copied from 60000: 40000 of them in the first range.
  assert_line "used $((4096 * 10 + 40000)) 0 0 $PWD/in"
  read -r r m _ < <(grep " $PWD/in\$" <<<"$output")
  assert_equal "$r $m" "$((4096 * 10 + 50000)) 0"
  # Plain reads get their offset from openat and lseek: the same 100000 bytes read twice by one
  # process count once; without those calls in the trace they add up.
  rm -f tr.*
  strace -ff -qq -y -o tr -e trace=openat,lseek,read python3 -c '
import os
f = os.open("in", os.O_RDONLY); os.read(f, 100000); os.lseek(f, 0, 0); os.read(f, 100000)'
  run "$B/io-by-file" --used "$PWD/in" used tr.*
  assert_line "used 100000 0 0 $PWD/in"
}
