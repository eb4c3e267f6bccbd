# Fixtures of readback2fw-f2fs.bats: a modern readback (tests/lib/readback-modern.bash) whose
# userdata is f2fs (tests/lib/f2fs.bash f2fs_image: mkfs.f2fs + sload.f2fs over old random data)
# and whose layout has both md_udc and metadata, as MT6765/MT6768 ones do; optionally a super
# (AOSP lpmake, tests/lib/super.bash) whose vendor_a holds the vendor fstab naming the partition
# mounted at /metadata.  Needs readback-modern.bash, f2fs.bash and super.bash sourced.

# f2fs_userdata OUT: 96 MiB of f2fs holding a customer's files: random photos, a zero-filled file,
# a repetitive log, many small files.  (mkfs.f2fs's smallest is about 56 MiB; Debian's sload.f2fs
# 1.15 fails on 64 MiB with these 3 MB of files: "[ASSERT] (move_one_curseg_info)", or its own
# fsck's "valid_node_count matching with CP (nat lookup) [Fail]", exit 255.)
f2fs_userdata() {  # OUT
  local d=$1.d i
  rm -rf "$d"; mkdir -p "$d/media" "$d/misc"
  for i in 1 2 3; do head -c 600000 /dev/urandom > "$d/media/photo$i.jpg"; done
  head -c 1000000 /dev/zero > "$d/media/zeros.bin"
  yes "log line of the customer's app" | head -c 300000 > "$d/misc/app.log" || :
  for i in $(seq 1 200); do echo "message $i" > "$d/misc/m$i.txt"; done
  f2fs_image "$1" 96 "$d" || return
  rm -rf "$d"
}

# vendor_super OUT KEY: a super (2 slots, group main_a) with vendor_a, an ext4 by mke2fs -d holding
# /build.prop and /etc/fstab.mt6768: md_udc-style lines, /dev/block/platform/bootdevice/by-name/KEY
# at /metadata and userdata's /data line with keydirectory=/metadata/vold/metadata_encryption.
vendor_super() {  # OUT KEY
  local out=$1 key=$2 d=$1.vendor mib=$((1 << 20))
  rm -rf "$d"; mkdir -p "$d/etc"
  printf 'ro.board.platform=mt6768\nro.vendor.mediatek.platform=MT6768\n' > "$d/build.prop"
  {
    echo "# Android fstab file."
    echo "system /system ext4 ro wait,avb=vbmeta_system,logical,first_stage_mount,slotselect"
    echo "vendor /vendor ext4 ro wait,avb,logical,first_stage_mount,slotselect"
    echo "/dev/block/platform/bootdevice/by-name/$key /metadata ext4 noatime,nosuid,nodev,discard wait,check,formattable,first_stage_mount"
    echo "/dev/block/platform/bootdevice/by-name/userdata /data f2fs noatime,nosuid,nodev,discard,inlinecrypt latemount,wait,check,quota,reservedsize=128M,formattable,resize,fileencryption=aes-256-xts:aes-256-cts:v2+inlinecrypt_optimized,keydirectory=/metadata/vold/metadata_encryption,checkpoint=fs"
  } > "$d/etc/fstab.mt6768"
  mke2fs -q -F -t ext4 -b 4096 -d "$d" "$d.img" 4M >/dev/null
  _lpmake "$out" $((8 * mib)) 2 -g main_a:$((6 * mib)) -p vendor_a:readonly:$((4 * mib)):main_a -i "vendor_a=$d.img"
  rm -rf "$d" "$d.img"
}

# f2fs_readback DIR [--fstab KEY]: DIR/User, DIR/Boot1 of modern_readback with an f2fs userdata
# (DIR/userdata.f2fs, its original) and 1 MiB md_udc and metadata rows; --fstab: a super
# holding vendor_super's fstab naming KEY.
f2fs_readback() {  # DIR [--fstab KEY]
  local dir=$1 super=()
  mkdir -p "$dir"
  f2fs_userdata "$dir/userdata.f2fs"
  if [ "${2:-}" = --fstab ]; then
    vendor_super "$dir/super.img" "$3" || return
    super=(--super "$dir/super.img")
  fi
  modern_readback "$dir" "${super[@]}" --userdata "$dir/userdata.f2fs" --key md_udc,metadata
}
