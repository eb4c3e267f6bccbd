# Supers made by AOSP's own lpmake/lpadd (../shared/peers/bin, not Debian packages), with file
# systems made by mke2fs -d and mkfs.erofs, and old data where a phone has it.  Sourced by the
# suites that need a super; each calls need_lp_peers first (skips, with a message, without them).

# need_lp_peers: LP_BIN set to the folder of lpmake, lpunpack, lpdump, lpadd, or skip.
need_lp_peers() {
  local d
  for d in "${MTKFW_PEERS:-}" "$MTKFW_ROOT/../shared/peers/bin" "$MTKFW_ROOT/../../shared/peers/bin"; do
    if [ -n "$d" ] && [ -x "$d/lpmake" ] && [ -x "$d/lpunpack" ] && [ -x "$d/lpdump" ]; then
      LP_BIN=$(cd "$d" && pwd); export LP_BIN; return 0
    fi
  done
  skip "AOSP lpmake/lpunpack/lpdump not found (../shared/peers/bin, or MTKFW_PEERS): the super oracles are not Debian packages"
}

# ext4_image OUT SIZE_MIB [FILES_MIB]: an ext4 image by mke2fs -d of FILES_MIB (default 2) of
# random files, then about a third of them deleted with debugfs: their blocks are free but keep
# the old data, as a phone's system after an update does.
ext4_image() {  # OUT SIZE_MIB [FILES_MIB]
  local out=$1 size=$2 files=${3:-2} d i
  d=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/ext4d.XXXXXX")
  mkdir -p "$d/etc"
  printf 'ro.board.platform=mt6765\nro.vendor.mediatek.platform=MT6765\n' > "$d/build.prop"
  for i in $(seq 1 $((files * 4))); do head -c 262144 /dev/urandom > "$d/etc/f$i"; done
  mke2fs -q -F -t ext4 -b 4096 -d "$d" "$out" "${size}M" >/dev/null
  for i in $(seq 1 3 $((files * 4))); do debugfs -w -R "rm /etc/f$i" "$out" >/dev/null 2>&1; done
  rm -rf "$d"
}

# erofs_image OUT [lz4|lz4hc|plain] [FILES_MIB]: an erofs image by mkfs.erofs (with a build.prop
# and random, compressible and small files).
erofs_image() {  # OUT [COMPRESSOR] [FILES_MIB]
  local out=$1 z=${2:-plain} files=${3:-2} d i
  d=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/erofsd.XXXXXX")
  mkdir -p "$d/etc"
  printf 'ro.board.platform=mt6833\nro.vendor.mediatek.platform=MT6833\n' > "$d/build.prop"
  printf 'tiny\n' > "$d/etc/tiny"
  for i in $(seq 1 $((files * 2))); do head -c 262144 /dev/urandom > "$d/etc/r$i"; done
  for i in $(seq 1 $((files * 2))); do yes "line $i of a compressible file" | head -c 262144 > "$d/etc/c$i"; done
  if [ "$z" = plain ]; then mkfs.erofs --quiet "$out" "$d" >/dev/null; else mkfs.erofs --quiet "-z$z" "$out" "$d" >/dev/null; fi
  rm -rf "$d"
}

# with_avb_tail IMAGE PART_BYTES: pads IMAGE to PART_BYTES with random bytes (a hashtree) and an
# AVB-like 64-byte footer ("AVBf") at the very end, as a signed system image is.
with_avb_tail() {  # IMAGE PART_BYTES
  local img=$1 want=$2 have
  have=$(stat -c %s "$img")
  head -c $((want - have - 64)) /dev/urandom >> "$img"
  { printf 'AVBf'; head -c 60 /dev/zero; } >> "$img"
}

# scribble_unallocated SUPER: random old data in every byte after the metadata that no extent of
# any slot uses (lpdump's own "Super partition layout", not our reader).
scribble_unallocated() {  # SUPER
  local super=$1 size first used
  size=$(stat -c %s "$super")
  first=$("$LP_BIN/lpdump" "$super" | awk '/First sector:/ {print $3; exit}')
  # Allocated sector ranges of every slot, sorted: "begin end".
  used=$("$LP_BIN/lpdump" "$super" | awk '/^super: [0-9]+ \.\. [0-9]+:/ {sub(":", "", $4); print $2, $4}' | sort -n -u)
  local at=$first b e
  while read -r b e; do
    [ -n "$b" ] || continue
    [ "$b" -le "$at" ] || _scribble "$super" "$at" "$b"
    [ "$e" -le "$at" ] || at=$e
  done <<<"$used"
  [ $((size / 512)) -le "$at" ] || _scribble "$super" "$at" $((size / 512))
}
_scribble() {  # FILE FROM_SECTOR TO_SECTOR
  head -c $((($3 - $2) * 512)) /dev/urandom |
    dd of="$1" bs=1M seek=$(($2 * 512)) oflag=seek_bytes conv=notrunc status=none
}

# super_fixture KIND OUT: a super image of one kind, with its partition images left beside it as
# OUT.d/NAME.img (the originals to compare lpunpack's output with).  Kinds:
#   vab     A/B virtual-A/B: 3 slots, 10.2 header, system_a (ext4, deleted files), vendor_a (ext4),
#           product_a (erofs lz4), the _b partitions empty
#   nonab   non-A/B: 2 slots, system (ext4), vendor (erofs plain)
#   multi   a partition with several extents: lpmake lays out system (ext4), scratch and odm
#           (random), scratch is dropped from the metadata (tests/lib/lp-edit.py, as an OTA
#           does), lpadd then adds vendor (ext4), larger than the hole: liblp splits it over
#           the hole and the space after odm (2 LINEAR extents, checked with lpdump)
#   tail    system: an ext4 smaller than its partition, followed by random hashtree bytes and an
#           AVB footer; vendor: erofs followed by the same
# Every kind gets random old data in its unallocated space.
super_fixture() {  # KIND OUT
  local kind=$1 out=$2 d=$2.d mib=$((1 << 20))
  rm -rf "$d"; mkdir -p "$d"
  case $kind in
    vab)
      ext4_image "$d/system_a.img" 24 6
      ext4_image "$d/vendor_a.img" 12 2
      erofs_image "$d/product_a.img" lz4 2
      _lpmake "$out" $((96 * mib)) 3 --virtual-ab -g main_a:$((80 * mib)) -g main_b:$((80 * mib)) \
        -p system_a:readonly:$((24 * mib)):main_a -p system_b:readonly:0:main_b \
        -p vendor_a:readonly:$((12 * mib)):main_a -p vendor_b:readonly:0:main_b \
        -p "product_a:readonly:$(_mib_up "$d/product_a.img"):main_a" -p product_b:readonly:0:main_b \
        -i "system_a=$d/system_a.img" -i "vendor_a=$d/vendor_a.img" -i "product_a=$d/product_a.img"
      ;;
    nonab)
      ext4_image "$d/system.img" 20 4
      erofs_image "$d/vendor.img" plain 2
      _lpmake "$out" $((64 * mib)) 2 -g main:$((60 * mib)) \
        -p system:readonly:$((20 * mib)):main -p "vendor:readonly:$(_mib_up "$d/vendor.img"):main" \
        -i "system=$d/system.img" -i "vendor=$d/vendor.img"
      ;;
    multi)
      _multi_extent "$out" "$d" || return 1
      ;;
    tail)
      ext4_image "$d/system.img" 16 3
      with_avb_tail "$d/system.img" $((20 * mib))
      erofs_image "$d/vendor.img" plain 1
      with_avb_tail "$d/vendor.img" $(( $(_mib_up_bytes "$d/vendor.img") + mib ))
      _lpmake "$out" $((64 * mib)) 2 -g main:$((60 * mib)) \
        -p system:readonly:$((20 * mib)):main -p "vendor:readonly:$(stat -c %s "$d/vendor.img"):main" \
        -i "system=$d/system.img" -i "vendor=$d/vendor.img"
      ;;
    *) echo "super_fixture: unknown kind $kind" >&2; return 2 ;;
  esac
  scribble_unallocated "$out"
}

_lpmake() {  # OUT DEVICE_SIZE SLOTS ARGS...
  local out=$1 size=$2 slots=$3; shift 3
  "$LP_BIN/lpmake" -d "$size" -m 65536 -s "$slots" -n super -F "$@" -o "$out" >/dev/null 2>&1 ||
    { echo "lpmake failed: $*" >&2; return 1; }
}
_mib_up_bytes() { local s; s=$(stat -c %s "$1"); echo $(( (s + 1048575) / 1048576 * 1048576 )); }
_mib_up() { _mib_up_bytes "$1"; }

# A super whose vendor has two extents (see super_fixture multi); fails unless lpdump shows them.
_multi_extent() {  # OUT DIR
  local out=$1 d=$2 mib=$((1 << 20)) n
  ext4_image "$d/system.img" 16 3
  ext4_image "$d/vendor.img" 12 2
  head -c $((2 * mib)) /dev/urandom > "$d/odm.img"
  _lpmake "$out" $((64 * mib)) 2 -g main:$((60 * mib)) \
    -p system:readonly:$((16 * mib)):main -p scratch:readonly:$((4 * mib)):main \
    -p odm:readonly:$((2 * mib)):main -i "system=$d/system.img" -i "odm=$d/odm.img" || return 1
  python3 "$MTKFW_ROOT/tests/lib/lp-edit.py" "$out" remove scratch || return 1
  "$LP_BIN/lpadd" --readonly "$out" vendor main "$d/vendor.img" >/dev/null 2>&1 ||
    { echo "lpadd vendor failed" >&2; return 1; }
  n=$(lp_extent_count "$out" vendor)
  [ "$n" -ge 2 ] || { echo "multi: vendor has $n extent(s), expected 2 or more" >&2; return 1; }
}

# lp_extent_count SUPER NAME: how many extents lpdump (slot 0) lists for NAME.
lp_extent_count() {  # SUPER NAME
  "$LP_BIN/lpdump" "$1" 2>/dev/null | awk -v n="$2" '
    /^Slot 1:/ {exit}
    /^  Name: / {cur = $2; next}
    /^    [0-9]+ \.\. [0-9]+ / && cur == n {count++}
    END {print count + 0}'
}

# dump_with_super SUPER OUT: a USER-like dump (GPT by sgdisk, 512-byte sectors) holding SUPER as
# partition "super", between boot_a (1 MiB of random bytes) and userdata (1 MiB of zeros).
dump_with_super() {  # SUPER OUT
  local super=$1 out=$2 mib=$((1 << 20)) s
  s=$(stat -c %s "$super")
  truncate -s 0 "$out"
  truncate -s $((1 * mib + mib + s + mib + mib)) "$out"
  sgdisk -n 1:2048:+1M -c 1:boot_a -n "2:$((2 * 2048)):+$((s / 512))" -c 2:super \
    -n "3:$(((2 * mib + s) / 512)):+1M" -c 3:userdata "$out" >/dev/null || return 1
  head -c "$mib" /dev/urandom | dd of="$out" bs=1M seek=1 conv=notrunc status=none
  dd if="$super" of="$out" bs=1M seek=2 conv=notrunc,sparse status=none
}
