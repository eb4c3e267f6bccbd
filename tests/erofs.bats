#!/usr/bin/env bats
# erofs inside a dump (common/ops/erofs_file.h through ops/fs_file.h): images made by mkfs.erofs
# (erofs-utils) in every layout it writes, read back byte for byte against the folder they were
# made from (through build/tools/fs-cat, a test-only reader over the library's read_fs_file), and
# the user-visible use: gpt-list's platform from an erofs vendor partition of a GPT dump, and from
# logical partitions of a super made by AOSP's lpmake.  Damaged images are clear failures.

load test_helper
source "$MTKFW_ROOT/tests/lib/super.bash"
source "$MTKFW_ROOT/tests/lib/dumps.bash"

setup() {
  FS_CAT=${MTKFW_TOOLS:-$MTKFW_ROOT/build/tools}/fs-cat
  cd "$BATS_TEST_TMPDIR"
}

# tree DIR [PLATFORM]: the files every image holds: a build.prop of ~200 KiB (many clusters,
# compressible, the platform keys at its end), files of 0, 1, 4097 bytes (inline tails), random
# and compressible files larger than a cluster, two fstabs, a directory of 600 entries (several
# directory blocks), a deep path.
tree() {  # DIR [PLATFORM]
  local d=$1 chip=${2:-MT6833} i
  mkdir -p "$d/etc" "$d/many" "$d/deep/a/b/c"
  for i in $(seq 1 4000); do echo "ro.vendor.filler.$i=value number $i of the vendor properties"; done > "$d/build.prop"
  printf 'ro.board.platform=%s\nro.vendor.mediatek.platform=%s\n' "${chip,,}" "$chip" >> "$d/build.prop"
  : > "$d/etc/empty"
  printf 'x' > "$d/etc/one"
  head -c 4097 /dev/urandom > "$d/etc/odd"
  head -c 300000 /dev/urandom > "$d/etc/random"
  yes "a compressible line of a vendor file" | head -c 700000 > "$d/etc/comp"
  printf '/dev/block/by-name/userdata /data f2fs noatime wait,check\n' > "$d/etc/fstab.mt6833"
  printf '# second\n' > "$d/etc/fstab.zzz"
  for i in $(seq 1 600); do echo "$i" > "$d/many/an-entry-with-a-rather-long-name-$i"; done
  echo leaf > "$d/deep/a/b/c/leaf"
}

# same_files IMAGE DIR: every file of DIR read out of IMAGE equals it; directories list the same.
same_files() {  # IMAGE DIR
  local img=$1 dir=$2 f n=0
  while IFS= read -r f; do
    "$FS_CAT" "$img" "/$f" > got || { echo "fs-cat failed on /$f" >&2; return 1; }
    cmp got "$dir/$f" || { echo "/$f differs" >&2; return 1; }
    n=$((n + 1))
  done < <(cd "$dir" && find . -type f | sed 's|^\./||')
  [ "$n" -ge 600 ]
  diff <("$FS_CAT" --ls "$img" /many) <(ls "$dir/many")
  diff <("$FS_CAT" --ls "$img" /etc) <(ls "$dir/etc")
}

# image_case MKFS_OPTIONS...: an image of tree's files, checked by fsck.erofs, then read back.
# mkfs.erofs 1.5 fails with EIO writing a chunk-based image onto tmpfs (the suites' TMPDIR is
# /dev/shm): every image is made in /var/tmp and moved here.
image_case() {
  local made
  tree src
  made=$(mktemp -p /var/tmp erofs-img.XXXXXX)
  mkfs.erofs --quiet "$@" "$made" src >/dev/null || { rm -f "$made"; return 1; }
  mv "$made" img
  fsck.erofs img >/dev/null
  same_files img src
}

@test "plain erofs (FLAT_PLAIN and FLAT_INLINE tails): every file byte for byte, 600-entry directories listed" {
  image_case
  # Not found, a directory, a path through a file: no file (exit 2), no error.
  run "$FS_CAT" img /etc/missing
  assert_failure 2
  run "$FS_CAT" img /etc
  assert_failure 2
  run "$FS_CAT" img /etc/one/deeper
  assert_failure 2
  run "$FS_CAT" img //deep///a/b/c/leaf
  assert_success
  assert_output leaf
  run "$FS_CAT" --fstab img
  assert_success
  assert_line --index 0 /etc/fstab.mt6833
  assert_line --index 1 '/dev/block/by-name/userdata /data f2fs noatime wait,check'
}

@test "lz4 (compact indexes, 0padding): every file byte for byte" {
  image_case -zlz4
  # The features the case is about, as dump.erofs sees them.
  dump.erofs -s img | grep -q '0padding'
  dump.erofs --path=/etc/comp img | grep -q 'Layout: 3'
}

@test "lz4hc, and lz4hc with 64 KiB physical clusters (BIG_PCLUSTER): every file byte for byte" {
  image_case -zlz4hc
  rm -rf src img
  image_case -zlz4hc -C65536
  [ $(( $(od -An -tu4 -j $((1024 + 0x50)) -N4 img) & 2 )) -eq 2 ]
}

@test "lz4 with ztailpacking (the last cluster inside the inode): every file byte for byte" {
  image_case -zlz4 -Eztailpacking
  [ $(( $(od -An -tu4 -j $((1024 + 0x50)) -N4 img) & 0x10 )) -eq 16 ]
}

@test "lz4hc with full (non-compact) indexes, extended inodes: every file byte for byte" {
  image_case -zlz4hc -Elegacy-compress -Eforce-inode-extended
  dump.erofs --path=/etc/comp img | grep -q 'Layout: 1'
}

@test "chunk-based files (--chunksize): every file byte for byte" {
  image_case --chunksize=8192
  dump.erofs --path=/etc/random img | grep -q 'Layout: 4'
}

@test "ext4 through the same read_fs_file: every file byte for byte, directories listed, the fstab (mke2fs -d)" {
  tree src
  mke2fs -q -F -t ext4 -b 4096 -d src img 16M >/dev/null
  same_files img src
  run "$FS_CAT" --fstab img
  assert_success
  assert_line --index 0 /etc/fstab.mt6833
  run "$FS_CAT" --ls img /etc/one
  assert_failure 2
}

# vendor_dump DUMP IMAGE: a GPT dump (sgdisk) whose vendor partition holds IMAGE (dd), 1 MiB more
# than the image, after a small system partition with no file system.
vendor_dump() {  # DUMP IMAGE
  local sectors=$(( ($(stat -c %s "$2") + 511) / 512 + 2048 ))
  truncate -s $(( (4096 + sectors + 2048) * 512 )) "$1"
  sgdisk -o -a 1 -n 1:2048:4095 -c 1:system -n 2:4096:$((4096 + sectors - 1)) -c 2:vendor "$1" >/dev/null
  dd if="$2" of="$1" bs=512 seek=4096 conv=notrunc status=none
}

@test "gpt-list: the platform from an erofs vendor partition (lz4, plain), with its source" {
  tree src MT6833
  mkfs.erofs --quiet -zlz4hc img src >/dev/null
  vendor_dump User img
  run --separate-stderr gpt-list -v --tsv User
  assert_success
  assert_line --index 0 --regexp ' platform=MT6833$'
  assert_line --regexp $'\tvendor\t.*\terofs\t'
  [[ $stderr == *"gpt-list: platform MT6833 from vendor:/build.prop ro.vendor.mediatek.platform"* ]]
  rm -f img && mkfs.erofs --quiet img src >/dev/null
  vendor_dump User2 img
  run gpt-list -q --tsv User2
  assert_line --index 0 --regexp ' platform=MT6833$'
}

# u32_at FILE OFFSET, u16_at FILE OFFSET: little-endian numbers.
u32_at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u16_at() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }

# refused IMAGE WHY: fs-cat fails (exit 1) saying WHY, and gpt-list on a dump whose vendor holds
# IMAGE warns with it and names no platform.
refused() {  # IMAGE WHY
  run "$FS_CAT" "$1" /build.prop
  assert_failure 1
  assert_output --regexp "$2"
  vendor_dump User "$1"
  run --separate-stderr gpt-list --tsv User
  assert_success
  [[ $stderr =~ "gpt-list: warning: vendor: cannot read build.prop: ".*$2 ]]
  refute_line --index 0 --partial platform=
}

@test "damaged erofs: bad magic (not erofs), unknown incompat bit, a dirent past its block, a bad lz4 stream: clear failures, platform warnings" {
  tree src
  mkfs.erofs --quiet -zlz4 good src >/dev/null
  # Bad magic: no erofs there any more (fs-cat finds no file system; gpt-list says unknown).
  cp good img && poke img 1024 00000000
  run "$FS_CAT" img /build.prop
  assert_failure 2
  # An incompatible feature bit no erofs-utils knows: refused naming the bit.
  cp good img && poke img $((1024 + 0x50)) 01020000
  refused img "erofs feature unknown incompatible feature 0x200 is not supported"
  # The root directory's second entry names a place past its block.
  cp good img
  local bs=$((1 << $(od -An -tu1 -j $((1024 + 12)) -N1 img))) root meta pos
  root=$(u16_at img $((1024 + 14))); meta=$(u32_at img $((1024 + 0x28)))
  pos=$(( meta * bs + root * 32 ))
  local isize=$(( $(u16_at img "$pos") & 1 ? 64 : 32 ))              # compact or extended inode
  [ "$(u16_at img $((pos + 2)))" -eq 0 ]                           # no inline xattrs
  [ $(( ($(u16_at img "$pos") >> 1) & 7 )) -eq 2 ]                 # FLAT_INLINE: entries follow it
  poke img $(( pos + isize + 12 + 8 )) f0ff
  refused img "directory inode [0-9]+: corrupt erofs file system: directory entry 0 has its name at [0-9]+\.\.65520, outside its [0-9]+-byte block"
  # build.prop's lz4 stream scribbled over (its cluster found by dump.erofs).
  cp good img
  local at
  at=$(dump.erofs --path=/build.prop -e img | awk '$1 == "0:" {sub(/\.\..*/, "", $5); print $5; exit}')
  [ -n "$at" ]
  head -c 3000 /dev/zero | tr '\0' '\375' | dd of=img bs=1 seek=$(( at + 1000 )) conv=notrunc status=none
  refused img "corrupt lz4 stream"
  # A file system larger than its partition: truncated, said so.
  head -c 20000 good > img
  run "$FS_CAT" img /build.prop
  assert_failure 1
  assert_output --partial "truncated"
}

# super_dump DUMP SUPER: a GPT dump whose partition "super" holds SUPER.
super_dump() {  # DUMP SUPER
  local sectors=$(( $(stat -c %s "$2") / 512 ))
  truncate -s $(( (4096 + sectors + 2048) * 512 )) "$1"
  sgdisk -o -a 1 -n 1:2048:4095 -c 1:misc -n 2:4096:$((4096 + sectors - 1)) -c 2:super "$1" >/dev/null
  dd if="$2" of="$1" bs=1M seek=$((4096 * 512)) oflag=seek_bytes conv=notrunc status=none
}

@test "gpt-list: the platform inside super (non-A/B: system ext4 first, then vendor erofs)" {
  need_lp_peers
  super_fixture nonab S
  super_dump User S
  run --separate-stderr gpt-list -v --tsv User
  assert_success
  assert_line --regexp $'\tsuper\t.*\tlp\t'
  assert_line --index 0 --regexp ' platform=MT6765$'
  [[ $stderr == *"gpt-list: platform MT6765 from super/system:/build.prop ro.board.platform"* ]]
  # The erofs vendor of the same super, read by its own logical partition (the bytes lpunpack gives).
  mkdir unpacked && "$LP_BIN/lpunpack" -p vendor S unpacked >/dev/null
  run "$FS_CAT" unpacked/vendor.img /build.prop
  assert_success
  assert_output --partial ro.vendor.mediatek.platform=MT6833
}

@test "gpt-list: the platform from an erofs lz4 vendor_a/vendor_b inside an A/B super, by the active slot" {
  need_lp_peers
  local mib=$((1 << 20))
  tree va MT6833
  tree vb MT6877
  mkdir sys && echo 'ro.build.id=X' > sys/build.prop     # no platform in system
  mkfs.erofs --quiet -zlz4 vendor_a.img va >/dev/null
  mkfs.erofs --quiet -zlz4hc vendor_b.img vb >/dev/null
  mkfs.erofs --quiet system_a.img sys >/dev/null
  _lpmake S $((16 * mib)) 3 --virtual-ab -g main_a:$((6 * mib)) -g main_b:$((6 * mib)) \
    -p "system_a:readonly:$(_mib_up system_a.img):main_a" -p system_b:readonly:0:main_b \
    -p "vendor_a:readonly:$(_mib_up vendor_a.img):main_a" -p "vendor_b:readonly:$(_mib_up vendor_b.img):main_b" \
    -i system_a=system_a.img -i vendor_a=vendor_a.img -i vendor_b=vendor_b.img
  super_dump User S
  # No slot known (misc empty): _a first.
  run --separate-stderr gpt-list -v --tsv User
  assert_success
  assert_line --index 0 --regexp ' platform=MT6833$'
  [[ $stderr == *"gpt-list: platform MT6833 from super/vendor_a:/build.prop ro.vendor.mediatek.platform"* ]]
  # misc's boot_ctrl says b is active: vendor_b's build.prop.
  ab_block User $((2048 * 512)) mtk 5 3 1 6 2 0
  run --separate-stderr gpt-list -v --tsv User
  assert_line --index 0 --regexp ' platform=MT6877 slot=b slot_source=boot_ctrl$'
  [[ $stderr == *"gpt-list: platform MT6877 from super/vendor_b:/build.prop ro.vendor.mediatek.platform"* ]]
}
